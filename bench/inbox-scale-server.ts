/**
 * The server half of bench/inbox-scale, run as its own process: boots the example Strapi on a fresh
 * PostgreSQL schema, seeds conversations and messages with plain SQL, prints one `BENCH_READY {json}`
 * line (URL, admin and team-member JWTs, what to ask for) and serves until its stdin closes.
 * argv: JSON { conversations, messages }. BENCH_SCHEMA=<kept schema> skips the seeding and measures it again.
 */
import request from 'supertest';
import { startStrapi } from '../tests/helpers/strapi';
import { createStaff, login } from '../tests/helpers/admin';

const { conversations: N, messages: M } = JSON.parse(process.argv[2] ?? '{}') as { conversations: number; messages: number };
const FIRST = ['Maria', 'John', 'Aisha', 'Wei', 'Carlos', 'Fatima', 'Ivan', 'Priya', 'Kofi', 'Elena', 'Ahmed', 'Sofia', 'Liam', 'Yuki', 'Omar', 'Lucia', 'Noah', 'Amara', 'Diego', 'Hana'];
const LAST = ['Silva', 'Smith', 'Okafor', 'Chen', 'Garcia', 'Khan', 'Petrov', 'Sharma', 'Mensah', 'Rossi', 'Haddad', 'Novak', 'Murphy', 'Tanaka', 'Nasser', 'Lopez', 'Brown', 'Adeyemi', 'Torres', 'Kim', 'Weber', 'Dubois', 'Ivanova', 'Costa', 'Moreau'];
const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

/**
 * 100k-style conversations spread over the numbers: four in five with a name, phones from five
 * country prefixes (a bijective scramble of the row number, so unique), CRM kinds, states, unread
 * counts, assignees and a year of activity; then messages, most conversations a handful and one
 * very long thread, each message on its conversation's number.
 */
const seed = async (knex: any, numberIds: number[], assignees: number[]) => {
  const nums = `ARRAY[${numberIds.join(',')}]`;
  await knex.raw(`
    INSERT INTO whatsapp_conversations (document_id, number_id, customer_wa_id, customer_phone, customer_name, crm_name, crm_kind, crm_uid, crm_document_id,
      assignee_id, state, template_only, unreachable, last_inbound_at, last_message_at, last_message_preview, window_expires_at, unread, created_at, updated_at, published_at)
    SELECT 'bc' || lpad(g::text, 22, '0'), (${nums})[1 + g % ${numberIds.length}], wa, '+' || wa,
      CASE WHEN g % 5 = 0 THEN NULL ELSE name END,
      CASE WHEN g % 10 < 6 THEN name END,
      CASE WHEN g % 10 < 4 THEN 'contact' WHEN g % 10 < 6 THEN 'lead' ELSE 'unknown' END,
      CASE WHEN g % 10 < 4 THEN 'api::contact.contact' WHEN g % 10 < 6 THEN 'api::lead.lead' END,
      CASE WHEN g % 10 < 6 THEN 'crm' || g END,
      CASE WHEN g % 10 = 1 THEN ${assignees[0]} WHEN g % 10 = 2 THEN ${assignees[1]} END,
      (CASE WHEN g % 10 < 7 THEN 'open' ELSE 'closed' END)::varchar, false, g % 97 = 0, at - interval '1 minute', at, 'message ' || g,
      at + interval '24 hours', CASE WHEN g % 7 = 0 THEN 1 + g % 5 ELSE 0 END, at - interval '3 days', at, at - interval '3 days'
    FROM (
      SELECT g, (${sqlArray(['1555', '4477', '4917', '9198', '5511'])})[1 + g % 5] || lpad(((g::bigint * 7919 + 12345) % 100000000)::text, 8, '0') AS wa,
        (${sqlArray(FIRST)})[1 + g % ${FIRST.length}] || ' ' || (${sqlArray(LAST)})[1 + (g / ${FIRST.length}) % ${LAST.length}] AS name,
        now() - (g * interval '317 seconds') AS at
      FROM generate_series(1, ${N}) g
    ) s`);
  const first = Number((await knex.raw('SELECT min(id) AS min FROM whatsapp_conversations')).rows[0].min);
  // One long thread (conversation `first`) with a fiftieth of the messages; the rest spread evenly.
  const heavy = Math.floor(M / 50);
  const chunk = 200_000;
  for (let from = 1; from <= M; from += chunk) {
    const to = Math.min(M, from + chunk - 1);
    await knex.raw(`
      INSERT INTO whatsapp_messages (document_id, conversation_id, number_id, direction, type, text, provider_message_id, status, source, attempts, media_state, created_at, updated_at, published_at)
      SELECT 'bm' || lpad(m::text, 22, '0'), c.id, c.number_id, CASE WHEN m % 2 = 0 THEN 'in' ELSE 'out' END, 'text', 'message ' || m || ' in conversation ' || c.id,
        'wamid.seed' || m, CASE WHEN m % 2 = 0 THEN 'received' ELSE 'read' END, CASE WHEN m % 2 = 0 THEN 'customer' ELSE 'inbox' END, 1, 'none',
        c.last_message_at - ((m::bigint * 7) % 2592000) * interval '1 second', c.last_message_at, c.last_message_at
      FROM generate_series(${from}, ${to}) m
      JOIN whatsapp_conversations c ON c.id = CASE WHEN m <= ${heavy} THEN ${first} ELSE ${first} + 1 + (m::bigint * 7) % ${N - 1} END`);
  }
  await knex.raw('VACUUM ANALYZE whatsapp_conversations');
  await knex.raw('VACUUM ANALYZE whatsapp_messages');
};

/** Message ids of the long thread at these depths (rows from the newest), to page on from there with `before`. */
const cursorsAt = async (knex: any, conversationId: number, depths: number[]) => {
  const out: number[] = [];
  for (const depth of depths) {
    const { rows } = await knex.raw('SELECT id FROM whatsapp_messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC OFFSET ? LIMIT 1', [conversationId, depth]);
    if (rows[0]) out.push(Number(rows[0].id));
  }
  return out;
};

/** Waits until no index of ours is still building (the plugin builds PostgreSQL's in the background). */
const indexesReady = async (knex: any) => {
  for (;;) {
    const { rows } = await knex.raw(`SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname LIKE 'whatsapp%' AND NOT i.indisvalid`);
    const building = await knex.raw(`SELECT count(*)::int AS n FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.relid WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`);
    if (!rows[0].n && !building.rows[0].n) return;
    await new Promise((r) => setTimeout(r, 500));
  }
};

/** What the schema holds (a reused one may hold another size than asked for). */
const sizes = async (knex: any) => ({
  conversations: Number((await knex.raw('SELECT count(*) AS n FROM whatsapp_conversations')).rows[0].n),
  messages: Number((await knex.raw('SELECT count(*) AS n FROM whatsapp_messages')).rows[0].n),
});

const STAFF = { email: 'teammate@test.local', password: 'Staff-Member-2026' };

const main = async () => {
  // BENCH_SCHEMA=<a schema kept by BENCH_KEEP_SCHEMA=1> measures an already seeded database again.
  const reuse = process.env.BENCH_SCHEMA;
  const existing = reuse ? { env: { DATABASE_CLIENT: 'postgres', DATABASE_SCHEMA: reuse }, drop: async () => undefined } : undefined;
  const app = await startStrapi({ NODE_ENV: 'production' }, existing);
  const { strapi } = app;
  strapi.log.level = 'error';
  if (strapi.db.dialect.client !== 'postgres') throw new Error('bench/inbox-scale seeds with PostgreSQL SQL: run with TEST_DB=postgres');
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${app.server.address().port}`;
  const token = await login(app.server);
  const knex = strapi.db.connection;
  let staffToken: string;
  let numberIds: number[];
  let seedSeconds = 0;
  if (reuse) {
    staffToken = await login(app.server, STAFF.email, STAFF.password);
    numberIds = (await knex.raw('SELECT id FROM whatsapp_numbers ORDER BY id')).rows.map((r: any) => Number(r.id));
    await indexesReady(knex);
  } else {
    // A team member: their team's numbers and the numbers without a team, CRM names of contacts only.
    const staff = await createStaff(strapi, app.server, 'Teammate', ['plugin::whatsapp.inbox.read', { action: 'plugin::content-manager.explorer.read', subject: 'api::contact.contact', properties: { fields: ['name', 'phone'] } }]);
    staffToken = staff.token;
    const other = await strapi.service('admin::role').create({ name: 'Other team', description: 'bench' });
    const teams = [[staff.role.id], [staff.role.id], [other.id], [other.id], [], []];
    numberIds = [];
    for (const [i, teamRoleIds] of teams.entries()) {
      const pnid = `10987654321${String(i).padStart(4, '0')}`;
      const res = await request(app.server).post('/whatsapp/numbers').set('Authorization', `Bearer ${token}`)
        .send({ label: `Bench ${i}`, provider: 'meta', phone: `+1555000${String(i).padStart(4, '0')}`, phoneNumberId: pnid, wabaId: '102030405060708', accessToken: `bench-token-${pnid}`, appSecret: 'bench-secret', verifyToken: 'bench', teamRoleIds });
      if (res.status !== 201 && res.status !== 200) throw new Error(`number: ${res.status} ${JSON.stringify(res.body)}`);
      numberIds.push(res.body.data.id);
    }
    const admin = await strapi.db.query('admin::user').findOne({ where: { email: 'admin@test.local' } });
    const teammate = await strapi.db.query('admin::user').findOne({ where: { email: STAFF.email } });
    await indexesReady(knex);
    const started = Date.now();
    await seed(knex, numberIds, [admin.id, teammate.id]);
    seedSeconds = (Date.now() - started) / 1000;
  }
  const first = Number((await knex.raw('SELECT min(id) AS min FROM whatsapp_conversations')).rows[0].min);
  const threadLength = Number((await knex.raw('SELECT count(*) AS n FROM whatsapp_messages WHERE conversation_id = ?', [first])).rows[0].n);
  const deepCursors = await cursorsAt(knex, first, [Math.floor(threadLength / 2), threadLength - 60]);
  const sample = (await knex.raw(`SELECT id, customer_wa_id, customer_name FROM whatsapp_conversations WHERE id % 997 = 0 AND customer_name IS NOT NULL ORDER BY id LIMIT 40`)).rows;
  const line = { url, token, staffToken, numberIds, heavyConversationId: first, threadLength, deepCursors, seedSeconds, reused: Boolean(reuse), sample: sample.map((r: any) => ({ id: r.id, waId: r.customer_wa_id, name: r.customer_name })), ...(await sizes(knex)) };
  process.stdout.write(`BENCH_READY ${JSON.stringify(line)}\n`);
  // The bench closes stdin when done (a signal would meet Strapi's own handler, which exits before the schema is dropped).
  process.stdin.resume();
  // BENCH_KEEP_SCHEMA=1 leaves the seeded schema behind (to EXPLAIN a query, or to measure again with BENCH_SCHEMA).
  const keepDatabase = process.env.BENCH_KEEP_SCHEMA === '1' || Boolean(reuse);
  if (keepDatabase) process.stderr.write(`bench/inbox-scale: keeping schema ${app.database.env.DATABASE_SCHEMA}\n`);
  process.stdin.on('end', () => void app.stop({ keepDatabase }).then(() => process.exit(0)));
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
