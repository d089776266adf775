import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { ADMIN } from './strapi';

export const login = async (server: any, email = ADMIN.email, password = ADMIN.password): Promise<string> => {
  const res = await request(server).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token;
};

/** An admin request with a bearer token, as the admin panel makes it. */
export const as = (server: any, token: string) => ({
  get: (url: string) => request(server).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string) => request(server).post(url).set('Authorization', `Bearer ${token}`),
  put: (url: string) => request(server).put(url).set('Authorization', `Bearer ${token}`),
  del: (url: string) => request(server).delete(url).set('Authorization', `Bearer ${token}`),
});

type Grant = string | { action: string; subject?: string | null; properties?: Record<string, unknown>; conditions?: string[] };

/**
 * A second admin whose role holds exactly the given permissions (action ids such as
 * `plugin::whatsapp.numbers.read`, or whole permissions for content-manager ones), logged in.
 */
export const createStaff = async (strapi: Core.Strapi, server: any, name: string, actions: Grant[]) => {
  const role = await strapi.service('admin::role').create({ name: `${name} role`, description: `${name} test role` });
  await strapi.service('admin::role').assignPermissions(
    role.id,
    actions.map((grant) => ({ subject: null, properties: {}, conditions: [], ...(typeof grant === 'string' ? { action: grant } : grant) }))
  );
  const email = `${name.toLowerCase()}@test.local`;
  const password = 'Staff-Member-2026';
  await strapi.service('admin::user').create({
    email,
    firstname: name,
    lastname: 'Staff',
    password,
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  return { role, token: await login(server, email, password) };
};

/**
 * Content Manager read on a type, limited to these fields (and these role conditions, such as
 * `admin::is-creator`); on a localized type, to these locales (none given: no locale, so no record).
 */
export const contentManagerRead = (subject: string, fields: string[], conditions: string[] = [], locales?: string[]): Grant => ({
  action: 'plugin::content-manager.explorer.read',
  subject,
  properties: { fields, ...(locales ? { locales } : {}) },
  conditions,
});
