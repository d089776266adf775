/** The processes a benchmark measures from outside: the provider simulator (`npm run simulator`) in its own process, and the machine's ceiling against it. */
import path from 'node:path';
import { spawn } from 'node:child_process';
import http from 'node:http';
import axios from 'axios';
import type { SimulatorClient } from '../simulator/client';

/** `npm run simulator` in its own process; resolves with its URL once it listens. */
export const startSimulatorProcess = () =>
  new Promise<{ url: string; stop: () => Promise<void> }>((resolve, reject) => {
    const child = spawn(path.resolve(__dirname, '../node_modules/.bin/tsx'), [path.resolve(__dirname, '../simulator/cli.ts')], { env: { ...process.env, SIMULATOR_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve({ url: m[1], stop: async () => void (child.kill('SIGTERM'), await exited) });
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before it listened`)));
  });

/** The machine's ceiling: a bare keep-alive loop posting text messages to the simulator, nothing else (as bench/dispatch.ts measures it). */
export const machineCeiling = async (sim: SimulatorClient, seconds: number, concurrency: number) => {
  const pnid = '400000000009998';
  await sim.addMetaNumber({ phoneNumberId: pnid, wabaId: '102030405060799', displayPhoneNumber: '15559999998', accessToken: 'ceiling-token-2', appSecret: 'ceiling-secret', webhookUrl: 'http://127.0.0.1:9/none', throughputMps: 1_000_000_000 } as any);
  await sim.setFault(pnid, { autoDeliver: false, autoRead: false } as any);
  const recipients = Array.from({ length: 64 }, (_, i) => `1557${String(i).padStart(7, '0')}`);
  for (const to of recipients) await sim.setWindow(pnid, to, true);
  const client = axios.create({ baseURL: sim.url, httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }), headers: { Authorization: 'Bearer ceiling-token-2' }, validateStatus: () => true });
  let sent = 0;
  let failed = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (Date.now() < deadline) {
        const to = recipients[(sent + lane) % recipients.length];
        const res = await client.post(`/v23.0/${pnid}/messages`, { messaging_product: 'whatsapp', to, type: 'text', text: { body: `ceiling ${lane} ${sent}` } });
        if (res.status < 300) sent += 1;
        else failed += 1;
      }
    })
  );
  const elapsed = (Date.now() - started) / 1000;
  return { concurrency, seconds: Number(elapsed.toFixed(2)), sent, failed, perSecond: Math.round(sent / elapsed) };
};
