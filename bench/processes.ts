/** The processes a benchmark measures from outside: the provider simulator (`npm run simulator`) in its own process. */
import path from 'node:path';
import { spawn } from 'node:child_process';

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
