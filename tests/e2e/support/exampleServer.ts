/**
 * Runs the example CRM as a real `strapi start` child process, the way a user runs it, on a free
 * port and a database of its own: a fresh SQLite file, or with TEST_DB=postgres a fresh schema.
 * Needs the plugin built (dist/), the example compiled (example/dist) and its admin panel built
 * (example/dist/build): scripts/test-e2e.js does all three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { pgConfig } from '../../helpers/pg';

export const ROOT = path.resolve(__dirname, '../../..');
export const EXAMPLE_DIR = path.join(ROOT, 'example');
export const ARTIFACTS = path.join(ROOT, 'tests', '.artifacts');

export const E2E_ADMIN = { email: 'e2e-admin@test.local', password: 'E2e-Admin-Passw0rd' };
export const E2E_ENCRYPTION_KEY = 'e2e-key-0123456789abcdef0123456789abcdef';
/** The secrets example/config requires, random per run; instances of one run share them (a token works on both). */
const EXAMPLE_SECRETS: Record<string, string> = (require('../../../scripts/example-env') as { randomSecrets: () => Record<string, string> }).randomSecrets();

export interface ExampleServer {
  baseUrl: string;
  port: number;
  /** The last lines the child printed on stdout and stderr, for failure messages. */
  logs: () => string;
  stop: () => Promise<void>;
  /** The strapi process' pid. */
  pid: number;
  /** Kills the server at once (SIGKILL), as a crash would: nothing of its shutdown runs. */
  crash: () => Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface ExampleDatabase {
  env: Record<string, string>;
  drop: () => Promise<void>;
}

export interface ExampleOptions {
  /** A database made with `createExampleDatabase`, for several instances on one database; the caller drops it. */
  database?: ExampleDatabase;
  /** Browser tests need the built admin panel; API-only tests (several instances) do not. */
  adminPanel?: boolean;
}

/** Env for the child's database, and how to remove it afterwards. */
const prepareDatabase = async (id: string, kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite'): Promise<ExampleDatabase> => {
  if (kind === 'postgres') {
    const schema = `e2e_${id}`;
    const client = new Client(pgConfig());
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const cfg = pgConfig();
    return {
      env: {
        DATABASE_CLIENT: 'postgres',
        DATABASE_HOST: cfg.host,
        DATABASE_PORT: String(cfg.port),
        DATABASE_NAME: cfg.database,
        DATABASE_USERNAME: cfg.user,
        DATABASE_PASSWORD: cfg.password,
        DATABASE_SCHEMA: schema,
      },
      drop: async () => {
        const c = new Client(pgConfig());
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  }
  // DATABASE_FILENAME is resolved against example/ by example/config/database.ts.
  const relative = path.join('.tmp', `e2e-${id}.db`);
  const file = path.join(EXAMPLE_DIR, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: relative },
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    },
  };
};

const tail = (text: string, lines = 80) => text.split('\n').slice(-lines).join('\n');

const waitForHealth = async (baseUrl: string, child: ChildProcess, logs: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`strapi start exited (${child.exitCode ?? child.signalCode}) before it was healthy\n${logs()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/_health`);
      if (res.status === 204) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`strapi start was not healthy after ${timeoutMs / 1000} s\n${logs()}`);
};

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

/** A database of its own (a fresh SQLite file or PostgreSQL schema) that several example servers can share. */
export const createExampleDatabase = (kind: 'sqlite' | 'postgres') => prepareDatabase(`${process.pid}_${crypto.randomBytes(4).toString('hex')}`, kind);

export const startExample = async (extraEnv: Record<string, string> = {}, options: ExampleOptions = {}): Promise<ExampleServer> => {
  // Package exports do not list bins: find strapi's beside its package.json.
  const strapiBin = path.join(path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [EXAMPLE_DIR] })), 'bin', 'strapi.js');
  if (options.adminPanel !== false && !fs.existsSync(path.join(EXAMPLE_DIR, 'dist', 'build', 'index.html'))) {
    throw new Error('example/dist/build is missing: run the e2e tests with `npm run test:e2e`, which builds the admin panel');
  }
  const id = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const shared = options.database;
  const db = shared ?? (await prepareDatabase(id));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'none',
    ...EXAMPLE_SECRETS,
    ADMIN_EMAIL: E2E_ADMIN.email,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    WHATSAPP_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
    WHATSAPP_PUBLIC_URL: `http://localhost:${port}`,
    SEED_DEMO: 'false',
    ...db.env,
    ...extraEnv,
  };

  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, [strapiBin, 'start'], {
    cwd: EXAMPLE_DIR,
    env,
    // Its own process group, so stop() can end strapi and anything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => {
    stdout = tail(stdout + chunk.toString(), 400);
  });
  child.stderr!.on('data', (chunk) => {
    stderr = tail(stderr + chunk.toString(), 400);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If Jest dies without running afterAll, do not leave the server behind.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const logs = () => `--- strapi stderr (tail) ---\n${tail(stderr) || '(empty)'}\n--- strapi stdout (tail) ---\n${tail(stdout)}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!shared) await db.drop();
  };

  const crash = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  };

  try {
    await waitForHealth(baseUrl, child, logs, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, port, logs, stop, pid: child.pid!, crash };
};

/** `POST /admin/login` → the admin access token. */
export const adminToken = async (baseUrl: string, email = E2E_ADMIN.email, password = E2E_ADMIN.password) => {
  const res = await fetch(`${baseUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { data?: { token?: string } };
  if (res.status !== 200 || !body.data?.token) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data.token;
};
