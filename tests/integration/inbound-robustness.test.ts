import { Client } from 'pg';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { pgConfig } from '../helpers/pg';
import { rowInserter } from '../../server/db-rows';
import { as, login } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { postMeta, settle, settleWithRetries } from '../helpers/webhooks';

const SECRET = 'robustness-app-secret';
const NUMBER = { label: 'Main', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'token-main-0000000000', appSecret: SECRET, verifyToken: 'verify-main' };

let app: TestApp;
let number: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const postgres = () => app.strapi.db.dialect.client === 'postgres';
const table = (uid: string) => (app.strapi.db.metadata.get(uid as any) as { tableName: string }).tableName;

/** A customer's text message, signed body text. */
const textFrom = (from: string, id: string, text: string) => {
  const body = fixture('meta/inbound-text.json');
  const value = body.entry[0].changes[0].value;
  value.contacts = [{ profile: { name: `Customer ${from}` }, wa_id: from }];
  value.messages[0] = { ...value.messages[0], from, id, text: { body: text } };
  delete value.messages[0].from_user_id;
  return JSON.stringify(body);
};

/** A trigger that makes the database refuse a statement on `tableName` (`when` in SQL over NEW) with `message`. */
const refuse = async (name: string, tableName: string, event: 'INSERT' | 'UPDATE', when: string, message: string) => {
  const knex = app.strapi.db.connection;
  if (postgres()) {
    await knex.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${tableName} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`);
  } else {
    await knex.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${tableName} FOR EACH ROW WHEN ${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`);
  }
  return () => knex.raw(postgres() ? `DROP TRIGGER IF EXISTS ${name} ON ${tableName}` : `DROP TRIGGER IF EXISTS ${name}`);
};

beforeAll(async () => {
  app = await startStrapi();
  const admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send(NUMBER)).body.data;
});
afterAll(async () => {
  await app?.stop();
});

describe('a webhook call the database cannot store', () => {
  test('is answered 503 with Retry-After (the provider delivers it again), never 500, and is stored when delivered again', async () => {
    const raw = textFrom('15550701001', 'wamid.store-refused-1', 'stored on the second delivery');
    const drop = await refuse('wa_refuse_store', table('plugin::whatsapp.webhook-event'), 'INSERT', '1 = 1', 'disk I/O error');
    let refused;
    try {
      refused = await postMeta(app.server, number.webhookUrl, raw, SECRET);
    } finally {
      await drop();
    }
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ ok: false, error: expect.stringMatching(/could not be stored/) });
    expect(await q('message').count({ where: { providerMessageId: 'wamid.store-refused-1' } })).toBe(0);

    const again = await postMeta(app.server, number.webhookUrl, raw, SECRET);
    expect(again.status).toBe(200);
    await settle(app.strapi);
    expect(await q('message').count({ where: { providerMessageId: 'wamid.store-refused-1' } })).toBe(1);
  });
});

describe('a webhook row whose chunk fails as a whole', () => {
  test('is isolated: the others apply, the poison row is tried again and goes dead with its reason, nothing applied twice', async () => {
    // The database refuses to finish one row (outside the per-event transactions chunk.ts isolates).
    const drop = await refuse('wa_refuse_done', table('plugin::whatsapp.webhook-event'), 'UPDATE', "NEW.state = 'done' AND NEW.raw_body LIKE '%poison-pill%'", 'poison refused');
    try {
      const bodies = [textFrom('15550702001', 'wamid.chunk-ok-1', 'first'), textFrom('15550702002', 'wamid.chunk-poison', 'poison-pill'), textFrom('15550702003', 'wamid.chunk-ok-2', 'third')];
      const answers = await Promise.all(bodies.map((raw) => postMeta(app.server, number.webhookUrl, raw, SECRET)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const [ok1, poison, ok2] = answers.map((a) => a.body.eventId);
      await settle(app.strapi);
      const state = async (id: number) => (await q('webhook-event').findOne({ where: { id } })) as { state: string; lastError: string | null; attempts: number };
      expect((await state(ok1)).state).toBe('done');
      expect((await state(ok2)).state).toBe('done');
      expect(await state(poison)).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/poison refused/) });

      for (let i = 0; i < 10 && (await state(poison)).state !== 'dead'; i += 1) await settleWithRetries(app.strapi);
      expect(await state(poison)).toMatchObject({ state: 'dead', lastError: expect.stringMatching(/poison refused/) });
      for (const id of ['wamid.chunk-ok-1', 'wamid.chunk-poison', 'wamid.chunk-ok-2']) expect(await q('message').count({ where: { providerMessageId: id } })).toBe(1);
    } finally {
      await drop();
    }
  });
});

describe('per-person order with many rows waiting', () => {
  test('thousands of earlier rows on their backoff (33,000 on SQLite, past its variable limit): their people wait, everyone else is applied', async () => {
    // SQLite's limit is what the big figure passes; PostgreSQL (65,535) checks the paging with fewer.
    const WAITING = postgres() ? 2_500 : 33_000;
    const inserter = rowInserter(app.strapi, 'plugin::whatsapp.webhook-event');
    const later = new Date(Date.now() + 3_600_000);
    const person = (i: number) => String(15560000000 + i);
    const ids: number[] = [];
    for (let from = 0; from < WAITING; from += 500) {
      const rows = Array.from({ length: Math.min(500, WAITING - from) }, (_, k) => ({
        numberId: number.id,
        provider: 'meta',
        receivedAt: new Date(),
        rawBody: textFrom(person(from + k), `wamid.waiting-${from + k}`, 'waiting on its backoff'),
        bodyEncoding: 'utf8',
        headers: {},
        signatureOk: true,
        state: 'pending',
        attempts: 1,
        eventCount: 1,
        lockedUntil: later,
      }));
      ids.push(...(await inserter.insert(app.strapi.db.connection, rows)));
    }
    try {
      const waits = await postMeta(app.server, number.webhookUrl, textFrom(person(17), 'wamid.after-waiting-17', 'after my earlier message'), SECRET);
      const free = await postMeta(app.server, number.webhookUrl, textFrom('15550703001', 'wamid.nobody-waiting', 'nothing before me'), SECRET);
      expect([waits.status, free.status]).toEqual([200, 200]);
      await settle(app.strapi);
      expect((await q('webhook-event').findOne({ where: { id: free.body.eventId } })).state).toBe('done');
      expect(await q('message').count({ where: { providerMessageId: 'wamid.nobody-waiting' } })).toBe(1);
      // Person 17's earlier row waits on its backoff: their later message must not overtake it.
      expect((await q('webhook-event').findOne({ where: { id: waits.body.eventId } })).state).toBe('pending');
      expect(await q('message').count({ where: { providerMessageId: 'wamid.after-waiting-17' } })).toBe(0);
    } finally {
      for (let i = 0; i < ids.length; i += 500) await q('webhook-event').deleteMany({ where: { id: { $in: ids.slice(i, i + 500) } } });
    }
    await settle(app.strapi);
    expect(await q('message').count({ where: { providerMessageId: 'wamid.after-waiting-17' } })).toBe(1);
  }, 120_000);
});

if (process.env.TEST_DB === 'postgres') {
  describe('shutdown while an index builds (PostgreSQL)', () => {
    test('does not wait for the build: it is cancelled, and the index is built at the next start', async () => {
      const schema = app.database.env.DATABASE_SCHEMA;
      const name = 'whatsapp_conversations_recent_idx';
      const holder = new Client(pgConfig());
      const watcher = new Client(pgConfig());
      await Promise.all([holder.connect(), watcher.connect()]);
      const indexState = async () => (await watcher.query(`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`, [schema, name])).rows[0] ?? null;
      let released = false;
      let fallback: NodeJS.Timeout | undefined;
      try {
        for (const c of [holder, watcher]) await c.query(`SET search_path TO "${schema}"`);
        await app.stop({ keepDatabase: true });
        await watcher.query(`DROP INDEX ${name}`);
        // A transaction that may write the table: a concurrent build waits for it to end.
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE whatsapp_conversations IN ROW EXCLUSIVE MODE');
        app = await startStrapi({}, app.database);
        // The build has started once its (still invalid) index is in the catalog.
        for (let i = 0; !(await indexState()); i += 1) {
          if (i > 400) throw new Error('the index build never started');
          await new Promise((r) => setTimeout(r, 25));
        }
        // Only so that an unfixed shutdown ends at all: the order of the two flags decides the test.
        fallback = setTimeout(() => {
          released = true;
          void holder.query('COMMIT');
        }, 30_000);
        await app.stop({ keepDatabase: true });
        expect(released).toBe(false);
        expect(await indexState()).toEqual({ valid: false });
      } finally {
        clearTimeout(fallback);
        if (!released) await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
      try {
        app = await startStrapi({}, app.database);
        for (let i = 0; (await indexState())?.valid !== true; i += 1) {
          if (i > 400) throw new Error('the index was not built again');
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await watcher.end();
      }
    }, 120_000);
  });
}
