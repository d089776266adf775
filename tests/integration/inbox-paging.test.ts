/**
 * The inbox at depth: threads paged by a `before` cursor, page numbers capped, search typed with
 * LIKE's wildcards matching literally, and (on PostgreSQL) indexes built without locking writers.
 */
import { Client } from 'pg';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { ensureIndexes, indexesSettled } from '../../server/db-indexes';
import { pgConfig } from '../helpers/pg';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543219001';
const WABA = '102030405069001';
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

/** Lets every webhook the simulator scheduled land and the worker apply it. */
const settle = async () => {
  const inbound = app.strapi.plugin('whatsapp').service('inbound');
  for (let i = 0; i < 3; i += 1) {
    await sim.client.settle();
    inbound.kick();
    await inbound.idle();
  }
};

const conversationOf = async (waId: string) => (await q('conversation').findOne({ where: { customerWaId: waId } })).id as number;
const errorPath = (res: any) => res.body.error?.details?.errors?.[0]?.path;

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const port = app.server.address().port;
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Paging', provider: 'meta', phone: '+15550009001', phoneNumberId: PNID, wabaId: WABA, accessToken: 'paging-token-0001', appSecret: 'paging-secret', verifyToken: 'v' })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550009001', accessToken: 'paging-token-0001', appSecret: 'paging-secret', webhookUrl: number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${port}`) });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('a thread paged by cursor', () => {
  const WA = '15550019001';
  let conversationId: number;
  let all: number[];

  beforeAll(async () => {
    for (let i = 0; i < 23; i += 1) await sim.client.customerSends({ from: WA, to: PNID, name: 'Long Thread', text: `message ${i}` });
    await settle();
    conversationId = await conversationOf(WA);
    const whole = await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ pageSize: '200' });
    all = whole.body.data.map((m: any) => m.id);
    expect(all).toHaveLength(23);
    expect(whole.body.meta.nextBefore).toBeNull();
  });

  test('following meta.nextBefore walks the whole thread newest first, each message once', async () => {
    const first = await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ pageSize: '5' });
    const seen: number[] = first.body.data.map((m: any) => m.id);
    let before = first.body.meta.nextBefore;
    expect(before).toBe(seen[4]);
    while (before !== null) {
      const res = await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ before: String(before), pageSize: '5' });
      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ pageSize: 5, before });
      seen.push(...res.body.data.map((m: any) => m.id));
      before = res.body.meta.nextBefore;
    }
    expect(seen).toEqual(all);
    expect(seen.map((id) => all.indexOf(id))).toEqual(all.map((_, i) => i));
  });

  test('a cursor from another conversation, an unknown one, or with a page number is a 400 naming the field', async () => {
    await sim.client.customerSends({ from: '15550019002', to: PNID, name: 'Other', text: 'hello' });
    await settle();
    const other = await admin.get(`/whatsapp/conversations/${await conversationOf('15550019002')}/messages`);
    for (const before of [String(other.body.data[0].id), '2147483000']) {
      const res = await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ before });
      expect(res.status).toBe(400);
      expect(errorPath(res)).toEqual(['before']);
    }
    const both = await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ before: String(all[3]), page: '2' });
    expect(both.status).toBe(400);
    expect(errorPath(both)).toEqual(['before']);
    expect((await admin.get(`/whatsapp/conversations/${conversationId}/messages`).query({ before: 'x' })).status).toBe(400);
  });
});

describe('page numbers reach back 10,000 rows', () => {
  test('the last page within reach answers; one beyond is a 400 naming page', async () => {
    const conversationId = (await admin.get('/whatsapp/conversations')).body.data[0].id;
    const cases: [string, Record<string, string>, number][] = [
      ['/whatsapp/conversations', { page: '401' }, 200], // rows 10,000-10,024 at the default 25
      ['/whatsapp/conversations', { page: '402' }, 400],
      ['/whatsapp/conversations', { page: '101', pageSize: '100' }, 200],
      ['/whatsapp/conversations', { page: '102', pageSize: '100' }, 400],
      ['/whatsapp/conversations', { page: '999999' }, 400],
      [`/whatsapp/conversations/${conversationId}/messages`, { page: '201' }, 200], // the default 50
      [`/whatsapp/conversations/${conversationId}/messages`, { page: '202' }, 400],
      [`/whatsapp/conversations/${conversationId}/messages`, { page: '999999', pageSize: '200' }, 400],
    ];
    for (const [url, query, status] of cases) {
      const res = await admin.get(url).query(query);
      expect([url, query, res.status]).toEqual([url, query, status]);
      if (status === 400) expect(errorPath(res)).toEqual(['page']);
      else expect(res.body.data).toEqual([]);
    }
  });
});

describe('search matches %, _ and \\ literally', () => {
  const names: [string, string][] = [
    ['15550029001', 'Ann 100% Plan'],
    ['15550029002', 'Ann 1000 Plan'],
    ['15550029003', 'snake_case Co'],
    ['15550029004', 'snakeXcase Co'],
    ['15550029005', 'Back\\slash Ltd'],
    ['15550029006', 'Backslash Ltd'],
  ];

  beforeAll(async () => {
    for (const [from, name] of names) await sim.client.customerSends({ from, to: PNID, name, text: 'hi' });
    await settle();
  });

  test.each([
    ['100%', ['Ann 100% Plan']],
    ['snake_case', ['snake_case Co']],
    ['k\\s', ['Back\\slash Ltd']],
    ['%', ['Ann 100% Plan']],
    ['_', ['snake_case Co']],
    ['SNAKE', ['snakeXcase Co', 'snake_case Co']],
  ])('q=%s', async (text, expected) => {
    const res = await admin.get('/whatsapp/conversations').query({ q: text });
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: any) => c.customerName).sort()).toEqual([...expected].sort());
  });
});

if (process.env.TEST_DB === 'postgres') {
  describe('indexes on PostgreSQL', () => {
    const schema = () => app.database.env.DATABASE_SCHEMA;
    const indexState = async (client: Client, name: string) =>
      (await client.query(`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`, [schema(), name])).rows[0] ?? null;

    test('an index builds while a writer holds the table, and other writers are not held up', async () => {
      const holder = new Client(pgConfig());
      const writer = new Client(pgConfig());
      const watcher = new Client(pgConfig());
      await Promise.all([holder.connect(), writer.connect(), watcher.connect()]);
      try {
        for (const c of [holder, writer, watcher]) await c.query(`SET search_path TO "${schema()}"`);
        await watcher.query('DROP INDEX whatsapp_conversations_recent_idx');
        // An open transaction that wrote to the table: a plain CREATE INDEX would queue behind it, and every later writer behind that.
        await holder.query('BEGIN');
        await holder.query(`UPDATE whatsapp_conversations SET unread = unread WHERE id = (SELECT min(id) FROM whatsapp_conversations)`);
        const building = ensureIndexes(app.strapi).then(() => indexesSettled(app.strapi));
        // The build has started once its (still invalid) index is in the catalog.
        for (let i = 0; !(await indexState(watcher, 'whatsapp_conversations_recent_idx')); i += 1) {
          if (i > 200) throw new Error('the index build never started');
          await new Promise((r) => setTimeout(r, 25));
        }
        await writer.query(`SET lock_timeout = '10s'`);
        const updated = await writer.query(`UPDATE whatsapp_conversations SET unread = unread WHERE id = (SELECT max(id) FROM whatsapp_conversations)`);
        expect(updated.rowCount).toBe(1);
        await holder.query('COMMIT');
        await building;
        expect(await indexState(watcher, 'whatsapp_conversations_recent_idx')).toEqual({ valid: true });
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await Promise.all([holder.end(), writer.end(), watcher.end()]);
      }
    });

    test('an index left invalid by an interrupted build is built again', async () => {
      const client = new Client(pgConfig());
      await client.connect();
      try {
        await client.query(`SET search_path TO "${schema()}"`);
        await client.query('DROP INDEX whatsapp_conversations_unread_idx');
        // A unique index over duplicate values fails half way and stays behind, invalid, under our name.
        await expect(client.query('CREATE UNIQUE INDEX CONCURRENTLY whatsapp_conversations_unread_idx ON whatsapp_conversations (number_id)')).rejects.toThrow();
        expect(await indexState(client, 'whatsapp_conversations_unread_idx')).toEqual({ valid: false });
        await ensureIndexes(app.strapi);
        await indexesSettled(app.strapi);
        expect(await indexState(client, 'whatsapp_conversations_unread_idx')).toEqual({ valid: true });
        const { rows } = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'whatsapp_conversations_unread_idx'`, [schema()]);
        expect(rows[0].indexdef).toMatch(/WHERE \(unread > 0\)/);
      } finally {
        await client.end();
      }
    });
  });
} else {
  describe('indexes on SQLite', () => {
    test('are there once the plugin has started', async () => {
      const rows = await app.strapi.db.connection.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'whatsapp_%_idx'`);
      expect(rows.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['whatsapp_conversations_recent_idx', 'whatsapp_messages_thread_idx']));
    });
  });
}
