import { createSimulator, type RunningSimulator } from './index';
import { startWebhookRecorder, type WebhookRecorder } from './recorder';
import type { AisensyAccount, GupshupApp, MetaNumber } from './types';

/**
 * Test bed: a simulator and a webhook recorder standing in for the plugin, with one account per
 * provider wired to the recorder (ids follow tests/fixtures/README.md).
 */
export interface TestBed {
  sim: RunningSimulator;
  recorder: WebhookRecorder;
  meta: MetaNumber;
  gupshup: GupshupApp;
  aisensy: AisensyAccount;
  /** fetch against the simulator's Graph API with the Meta number's token. */
  graph(path: string, init?: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export const TEST_META: Omit<MetaNumber, 'webhookUrl'> = {
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  displayPhoneNumber: '15550001111',
  accessToken: 'EAAG-test-access-token',
  appSecret: 'test-app-secret',
  verifyToken: 'my-verify-token',
};

export const startTestBed = async (): Promise<TestBed> => {
  const sim = await createSimulator({ port: 0, host: '127.0.0.1' });
  const recorder = await startWebhookRecorder();
  const meta: MetaNumber = { ...TEST_META, webhookUrl: `${recorder.url}/webhooks/meta` };
  const gupshup: GupshupApp = { appName: 'ExampleCrmApp', appId: '00000000-1111-2222-3333-444444444444', apiKey: 'gs-test-api-key', sourcePhone: '15550001111', webhookUrl: `${recorder.url}/webhooks/gupshup` };
  const aisensy: AisensyAccount = { apiKey: 'EXAMPLE-API-KEY-DO-NOT-USE', phone: '15550004444', webhookUrl: `${recorder.url}/webhooks/aisensy`, webhookSecret: 'aisensy-secret' };
  await sim.client.addMetaNumber(meta);
  await sim.client.addGupshupApp(gupshup);
  await sim.client.addAisensyAccount(aisensy);
  const graph: TestBed['graph'] = async (path, init = {}) => {
    const token = init.token === undefined ? meta.accessToken : init.token;
    const res = await fetch(`${sim.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    sim,
    recorder,
    meta,
    gupshup,
    aisensy,
    graph,
    close: async () => {
      await sim.close();
      await recorder.close();
    },
  };
};
