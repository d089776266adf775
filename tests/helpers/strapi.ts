import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createStrapi } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { Client } from 'pg';
import { pgConfig } from './pg';

export const EXAMPLE_DIR = path.resolve(__dirname, '../../example');
const ARTIFACTS = path.resolve(__dirname, '../.artifacts');

export const TEST_ENCRYPTION_KEY = 'test-key-0123456789abcdef0123456789abcdef';

/** The secrets example/config requires (scripts/example-env.js), random for each test run and shared by its instances. */
export const EXAMPLE_SECRETS: Record<string, string> = (require('../../scripts/example-env') as { randomSecrets: () => Record<string, string> }).randomSecrets();
export const ADMIN = { email: 'admin@test.local', password: 'Test-Admin-2026' };
/** The public URL the booted app is told it has: webhook URLs it hands out begin with it. */
export const TEST_PUBLIC_URL = 'https://crm.test.local';

export interface TestApp {
  strapi: Core.Strapi;
  server: any;
  /** Stops Strapi and removes the database this file used (kept with `keepDatabase`, for a restart). */
  stop: (options?: { keepDatabase?: boolean }) => Promise<void>;
  /** The database, to boot a second Strapi on it: `startStrapi({}, app.database)`. */
  database: TestDatabase;
}

export interface TestDatabase {
  env: Record<string, string>;
  drop: () => Promise<void>;
}

const usePostgres = () => process.env.TEST_DB === 'postgres';


/** One fresh database per test file: a SQLite file, or a PostgreSQL schema of its own. */
const prepareDatabase = async (): Promise<TestDatabase> => {
  const id = `t${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (usePostgres()) {
    const client = new Client(pgConfig());
    await client.connect();
    await client.query(`CREATE SCHEMA "${id}"`);
    await client.end();
    return {
      env: { DATABASE_CLIENT: 'postgres', DATABASE_SCHEMA: id },
      drop: async () => {
        const c = new Client(pgConfig());
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
        await c.end();
      },
    };
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${id}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.relative(EXAMPLE_DIR, file) },
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
};

export const startStrapi = async (env: Record<string, string> = {}, existing?: TestDatabase): Promise<TestApp> => {
  const database = existing ?? (await prepareDatabase());
  Object.assign(process.env, database.env, {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    ...EXAMPLE_SECRETS,
    WHATSAPP_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WHATSAPP_PUBLIC_URL: TEST_PUBLIC_URL,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SEED_DEMO: 'false',
    ...env,
  });
  const strapi = createStrapi({
    appDir: EXAMPLE_DIR,
    distDir: path.join(EXAMPLE_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  strapi.log.level = 'warn';
  await strapi.load();
  await strapi.server.mount();
  return {
    strapi,
    server: strapi.server.httpServer,
    database,
    stop: async ({ keepDatabase = false } = {}) => {
      await strapi.destroy();
      if (!keepDatabase) await database.drop();
    },
  };
};
