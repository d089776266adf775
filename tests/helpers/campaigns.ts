import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, login } from './admin';
import { startStrapi, type TestApp } from './strapi';

/** One round of the campaign feed, the outbox and the receipts they cause. */
export const campaignRound = async (app: TestApp, sim: RunningSimulator) => {
  const plugin = app.strapi.plugin('whatsapp');
  for (const name of ['campaigns', 'outbox']) {
    plugin.service(name).kick();
    await plugin.service(name).idle();
  }
  await sim.client.settle();
  plugin.service('inbound').kick();
  await plugin.service('inbound').idle();
};

/** Runs rounds until `done` holds (polled, with a timeout): never a fixed sleep deciding the outcome. */
export const until = async (app: TestApp, sim: RunningSimulator, done: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await campaignRound(app, sim);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the campaign');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Polls `done` while the workers run on their own (no round forces them to finish what they hold). */
export const waitFor = async (done: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export const PNID = '109876543210987';
export const WABA = '102030405060708';

export interface CampaignBed {
  sim: RunningSimulator;
  app: TestApp;
  admin: ReturnType<typeof as>;
  number: any;
}

/**
 * A simulator and a Strapi with one Meta number at `rate` messages per second (on both sides) and
 * these templates, approved and synced.
 */
export const campaignBed = async (rate: number | undefined, templates: { name: string; category: string; body: string }[]): Promise<CampaignBed> => {
  const sim = await createSimulator();
  const app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${app.server.address().port}`;
  const admin = as(app.server, await login(app.server));
  const credentials = { accessToken: 'bed-token', appSecret: 'bed-secret' };
  const number = (await admin.post('/whatsapp/numbers').send({ label: 'Campaigns', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, ...credentials, verifyToken: 'v', ...(rate ? { throughputMps: rate } : {}) })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', ...credentials, webhookUrl: number.webhookUrl.replace('https://crm.test.local', url), ...(rate ? { throughputMps: rate } : {}) } as any);
  for (const t of templates) await sim.client.createTemplate({ wabaId: WABA, language: 'en_US', status: 'APPROVED', ...t } as any);
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  return { sim, app, admin, number };
};
