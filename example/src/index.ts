import type { Core } from '@strapi/strapi';
import { connectDemoNumber } from './demo-number';
import { seedDemo } from './seed';

const DEMO_EMAIL = 'admin@example.com';
const DEMO_PASSWORD = 'Demo-Admin-2026';

/** The example's own super admin, so a fresh clone can log in without the registration form. */
const ensureSuperAdmin = async (strapi: Core.Strapi) => {
  const email = process.env.ADMIN_EMAIL || DEMO_EMAIL;
  const password = process.env.ADMIN_PASSWORD || DEMO_PASSWORD;
  const userService = strapi.service('admin::user');
  const existing = await userService.exists({ email: email.toLowerCase() });
  if (!existing && (await userService.count()) === 0) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await userService.create({
      email: email.toLowerCase(),
      firstname: 'Demo',
      lastname: 'Admin',
      password,
      isActive: true,
      registrationToken: null,
      roles: [superAdmin.id],
    });
  }
  return { email, password: process.env.ADMIN_PASSWORD ? '(the ADMIN_PASSWORD you set)' : password, created: !existing };
};

export default {
  register() {},

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const login = await ensureSuperAdmin(strapi);
    if (process.env.SEED_DEMO === 'true') {
      await seedDemo(strapi);
      // Connected after start-up: the simulator calls back into this app's webhook URL.
      if (process.env.SIMULATOR_URL) setTimeout(() => void connectDemoNumber(strapi, process.env.SIMULATOR_URL as string), 0);
    }
    if (process.env.NODE_ENV !== 'test') {
      const url = `http://localhost:${strapi.config.get('server.port')}/admin`;
      strapi.log.info(`[example] Log in at ${url} as ${login.email} with password ${login.password}`);
    }
  },
};
