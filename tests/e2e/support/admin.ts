/**
 * What the browser tests set up alike, written once: the simulator, the example app talking to it,
 * Chromium on its admin, admin API calls as the e2e super admin, and a Meta number on the simulator.
 */
import type { Page } from 'playwright-core';
import type { CreateNumber } from '../../../contracts/numbers';
import { createSimulator, type RunningSimulator } from '../../../simulator';
import type { MetaNumberInput } from '../../helpers/simulated-app';
import { openAdminSession, type AdminSession } from './browser';
import { adminToken, startExample, type ExampleServer } from './exampleServer';

export interface BrowserTest {
  sim: RunningSimulator;
  server: ExampleServer;
  session: AdminSession;
  page: Page;
  /** The e2e super admin's admin API token. */
  token: string;
}

/** Starts the simulator, the example app on it and a browser on its admin; whatever started is stopped again when a later part fails. */
export const startBrowserTest = async (label: string): Promise<BrowserTest> => {
  const sim = await createSimulator({ port: 0 });
  let server: ExampleServer | undefined;
  let session: AdminSession | undefined;
  try {
    server = await startExample({ WHATSAPP_META_BASE_URL: sim.url });
    session = await openAdminSession(server, label);
    const token = await adminToken(server.baseUrl);
    return { sim, server, session, page: session.page, token };
  } catch (error) {
    await stopBrowserTest({ sim, server, session });
    throw error;
  }
};

/** Stops what `startBrowserTest` started, browser first. */
export const stopBrowserTest = async ({ sim, server, session }: Partial<Pick<BrowserTest, 'sim' | 'server' | 'session'>>) => {
  await session?.close();
  await server?.stop();
  await sim?.close();
};

/** One admin API call as `token`: the body parsed when it is JSON, else its text (null when empty). */
export const adminRequest = async <T = any>(server: Pick<ExampleServer, 'baseUrl'>, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? (/json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text) : null) as T };
};

/** Creates the number over the admin API and makes it known to the simulator, its webhook pointed at the example app; answers the created number. */
export const connectMetaNumber = async ({ sim, server, token }: Pick<BrowserTest, 'sim' | 'server' | 'token'>, meta: MetaNumberInput) => {
  const created = await adminRequest<CreateNumber.Response>(server, token, 'POST', '/whatsapp/numbers', { provider: 'meta', ...meta });
  if (created.status !== 201) throw new Error(`creating the number answered ${created.status}: ${JSON.stringify(created.body)}`);
  await simulateMetaNumber({ sim, server }, meta, created.body.data.webhookUrl);
  return created.body.data;
};

/** Makes a created number known to the simulator, its webhook (the URL the plugin gave) pointed at the example app's port. */
export const simulateMetaNumber = async ({ sim, server }: Pick<BrowserTest, 'sim' | 'server'>, meta: MetaNumberInput, webhookUrl: string, extra: { throughputMps?: number } = {}) => {
  const hook = new URL(webhookUrl);
  await sim.client.addMetaNumber({
    phoneNumberId: meta.phoneNumberId,
    wabaId: meta.wabaId,
    displayPhoneNumber: meta.phone.slice(1),
    accessToken: meta.accessToken,
    appSecret: meta.appSecret,
    webhookUrl: `http://127.0.0.1:${server.port}${hook.pathname}${hook.search}`,
    ...extra,
  } as Parameters<RunningSimulator['client']['addMetaNumber']>[0]);
};
