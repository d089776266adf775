import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, login } from './admin';
import { startStrapi, TEST_PUBLIC_URL, type TestApp } from './strapi';

/** A booted Strapi listening on a local port, the simulator standing in for the providers, and the admin logged in. */
export interface SimulatedApp {
  app: TestApp;
  sim: RunningSimulator;
  /** Where the app listens: the simulator posts webhooks here. */
  base: string;
  token: string;
  admin: ReturnType<typeof as>;
}

/**
 * Starts the simulator and Strapi with Meta's API pointed at it, listening, with the admin logged in.
 * `env` adds to Strapi's environment; as a function it gets the simulator (to point other providers at it).
 */
export const startWithSimulator = async (env: Record<string, string> | ((sim: RunningSimulator) => Record<string, string>) = {}): Promise<SimulatedApp> => {
  const sim = await createSimulator();
  let app: TestApp | undefined;
  try {
    app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url, ...(typeof env === 'function' ? env(sim) : env) });
    const { server } = app;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const token = await login(server);
    return { app, sim, base: `http://127.0.0.1:${server.address().port}`, token, admin: as(server, token) };
  } catch (error) {
    // The caller never gets these to stop: a half-started file must not leave them running.
    await app?.stop();
    await sim.close();
    throw error;
  }
};

export interface MetaNumberInput {
  label: string;
  phone: string;
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  [other: string]: unknown;
}

/** Connects a Meta number through the admin API and gives it to the simulator, its webhooks sent to this app. */
export const connectMetaNumber = async ({ admin, sim, base }: Pick<SimulatedApp, 'admin' | 'sim' | 'base'>, input: MetaNumberInput) => {
  const res = await admin.post('/whatsapp/numbers').send({ provider: 'meta', verifyToken: 'v', ...input });
  if (res.status !== 201) throw new Error(`connecting ${input.label}: ${res.status} ${JSON.stringify(res.body)}`);
  const number = res.body.data;
  const { phoneNumberId, wabaId, accessToken, appSecret } = input;
  await sim.client.addMetaNumber({ phoneNumberId, wabaId, displayPhoneNumber: input.phone.replace('+', ''), accessToken, appSecret, webhookUrl: number.webhookUrl.replace(TEST_PUBLIC_URL, base) });
  return number;
};

/**
 * Three rounds of: the simulator's webhooks land, then each named worker is kicked (when it has a
 * kick) and waited for, in order; three because a send's receipts and a bot's reply follow later rounds.
 */
export const settleWorkers = async ({ app, sim }: Pick<SimulatedApp, 'app' | 'sim'>, workers: string[] = ['inbound', 'outbox']) => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 3; i += 1) {
    await sim.client.settle();
    for (const name of workers) {
      const service = plugin.service(name);
      service.kick?.();
      await service.idle();
    }
  }
};

/** Reads until `ok` holds, settling the workers between reads (at most `rounds`), then answers the last read. */
export const pollFor = async <T>(settle: () => Promise<unknown>, read: () => Promise<T>, ok: (v: T) => boolean, rounds = 100) => {
  for (let i = 0; i < rounds; i += 1) {
    const v = await read();
    if (ok(v)) return v;
    await settle();
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
};
