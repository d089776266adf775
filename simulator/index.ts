import type { AddressInfo } from 'node:net';
import { SimulatorClient } from './client';
import { createHttpServer } from './server';
import { Simulator } from './sim';

export { SimulatorClient, SimulatorError } from './client';
export type { TemplateInput } from './client';
export { startWebhookRecorder } from './recorder';
export type { RecordedRequest, WebhookRecorder } from './recorder';
export type { CustomerMessageInput, CustomerSendResult } from './inbound';
export type { Settings, FaultPatch } from './faults';
export { DEFAULT_SETTINGS } from './faults';
export * from './types';
export { Simulator } from './sim';

export interface SimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Seed Alice 15550002222, Bob 15550003333 and unreachable 15550009999 (default true). */
  seedCustomers?: boolean;
  /** Address to put in URLs the simulator hands out, when it is reached through another address. */
  publicUrl?: string;
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** In-process access to everything the simulator holds. */
  state: Simulator['state'];
  sim: Simulator;
  client: SimulatorClient;
  close(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1 (port 0 = any free port). */
export const createSimulator = async (options: SimulatorOptions = {}): Promise<RunningSimulator> => {
  const sim = new Simulator(options.seedCustomers !== false);
  const server = createHttpServer(sim);
  // Like a real API's front end, idle keep-alive connections stay open a minute: with Node's 5 s
  // default, a client reusing a socket just as the server drops it gets ECONNRESET under load.
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  sim.baseUrl = url;
  if (options.publicUrl) sim.publicUrl = options.publicUrl.replace(/\/+$/, '');
  let closed = false;
  return {
    url,
    port,
    state: sim.state,
    sim,
    client: new SimulatorClient(url),
    close: async () => {
      if (closed) return;
      closed = true;
      sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
