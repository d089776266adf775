/** What the campaign browser tests share: a number on the simulator with one approved template, and admin API calls. */
import type { RunningSimulator } from '../../../simulator';
import { simulateMetaNumber } from './admin';
import { adminToken, type ExampleServer } from './exampleServer';

export const META = {
  label: 'Campaigns US',
  phone: '+15550001111',
  phoneNumberId: '109876543210778',
  wabaId: '102030405060778',
  accessToken: 'EAAG-e2e-campaign-actions-token-0123456789',
  appSecret: 'e2e-campaign-actions-secret-0123456789abcd',
  verifyToken: 'e2e-campaign-actions-verify-2026',
};
export const TEMPLATE = { name: 'shipping_note', language: 'en_US', body: 'Hello {{1}}, your parcel is on its way.' };

export type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Admin API calls with the example's super admin token. */
export const adminApi = async (server: ExampleServer): Promise<Api> => {
  const token = await adminToken(server.baseUrl);
  return async (method, url, body) => {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
  };
};

/** A Meta number at `throughputMps` known to the simulator, with the template approved and synced; answers the number. */
export const numberWithTemplate = async (server: ExampleServer, sim: RunningSimulator, api: Api, throughputMps: number) => {
  const created = await api('POST', '/whatsapp/numbers', { provider: 'meta', ...META, throughputMps });
  if (created.status !== 201) throw new Error(`number: ${created.status} ${JSON.stringify(created.body)}`);
  await simulateMetaNumber({ sim, server }, META, created.body.data.webhookUrl, { throughputMps });
  await sim.client.createTemplate({ wabaId: META.wabaId, name: TEMPLATE.name, language: TEMPLATE.language, category: 'UTILITY', status: 'APPROVED', body: TEMPLATE.body });
  const sync = await api('POST', '/whatsapp/templates/sync', {});
  if (sync.body.data?.[0]?.synced !== 1) throw new Error(`template sync: ${JSON.stringify(sync.body)}`);
  return created.body.data as { id: number };
};

/** A CSV of these phones with a `name` column. */
export const csvOf = (phones: string[]) => ['phone,name', ...phones.map((p, i) => `${p},Customer ${i + 1}`)].join('\n');

/** The body of a campaign sending the template to a CSV audience, its `{{1}}` from the `name` column. */
export const campaignBody = (numberId: number, name: string, phones: string[], extra: Record<string, unknown> = {}) => ({
  name,
  numberId,
  template: { name: TEMPLATE.name, language: TEMPLATE.language },
  parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }],
  audience: { csv: csvOf(phones) },
  schedule: { type: 'now' },
  ...extra,
});

/** Template messages the simulator accepted for this phone (digits only, as Meta writes `to`). */
export const templatesTo = async (sim: RunningSimulator, phone: string) => ((await sim.client.outbound({ to: phone.replace(/^\+/, '') })) as any[]).filter((m) => m.type === 'template');
