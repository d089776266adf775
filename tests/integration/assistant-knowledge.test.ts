/**
 * The assistant's knowledge beyond typed text: PDF files (their text layer, cited by page) and a
 * host collection type read with the saving admin's Content Manager rights, re-indexed when its
 * records change and emptied, with the reason, when the admin loses the right to read it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_PDF_MAX_PAGES, KNOWLEDGE_PDF_TIMEOUT_MS } from '../../server/constants';
import type { RunningSimulator } from '../../simulator';
import { as, contentManagerRead, createStaff, login } from '../helpers/admin';
import { makePdf } from '../helpers/pdf';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';

const PNID = '109876543210777';
const WABA = '102030405060777';
const FIXTURES = path.join(__dirname, '../fixtures/knowledge');
const TICKET = 'api::ticket.ticket';
let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let conversationId: number;

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox']);

/** The built-in engine's draft for the conversation's latest question. */
const ask = async (question: string) => {
  await sim.client.customerSends({ from: '15550007001', to: PNID, name: 'Bo', text: question });
  await settle();
  const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
  expect(res.status).toBe(200);
  return res.body.data;
};

/** Asks until the draft says `expected` (the re-index runs after the host's write, debounced). */
const askUntil = async (question: string, expected: string) => {
  for (let i = 0; i < 100; i += 1) {
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    if (res.body.data?.text?.includes(expected)) return res.body.data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the assistant never answered "${question}" with "${expected}"`);
};

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  await connectMetaNumber(started, { label: 'Bikes', phone: '+15550007000', phoneNumberId: PNID, wabaId: WABA, accessToken: 'knowledge-token', appSecret: 'knowledge-secret' });
  await sim.client.customerSends({ from: '15550007001', to: PNID, name: 'Bo', text: 'Hello' });
  await settle();
  conversationId = (await admin.get('/whatsapp/conversations')).body.data.find((c: any) => c.customerPhone === '+15550007001').id;
  // Booting Strapi takes minutes when the shared 2-core machine is loaded.
}, 300_000);
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('the built-in engine answers from an uploaded PDF, citing its page', async () => {
  const up = await admin.post('/whatsapp/assistant/knowledge/upload').attach('files', fs.readFileSync(path.join(FIXTURES, 'bike-guide.pdf')), { filename: 'bike-guide.pdf', contentType: 'application/pdf' });
  expect(up.status).toBe(201);
  expect(up.body.data).toEqual([expect.objectContaining({ title: 'bike-guide', kind: 'file', filename: 'bike-guide.pdf', chunks: 2 })]);
  const draft = await ask('How long is the warranty on the frame of a bike?');
  expect(draft).toMatchObject({
    text: 'Every bike comes with a two-year warranty on its frame and a one-year warranty on its gears.',
    citations: [{ sourceId: up.body.data[0].id, title: 'bike-guide — p. 2', excerpt: expect.stringContaining('two-year warranty') }],
  });
  expect(draft.handoff).toBeUndefined();
});

test('a scanned PDF, a malformed one and a renamed text file are refused with the reason', async () => {
  const upload = (bytes: Buffer, filename: string) => admin.post('/whatsapp/assistant/knowledge/upload').attach('files', bytes, { filename, contentType: 'application/pdf' });
  const scanned = await upload(fs.readFileSync(path.join(FIXTURES, 'scanned.pdf')), 'scan.pdf');
  expect(scanned.status).toBe(400);
  expect(scanned.body.error.details.errors[0]).toMatchObject({ path: ['files'], message: expect.stringContaining('has no text layer') });
  const broken = await upload(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'), 'broken.pdf');
  expect(broken.status).toBe(400);
  expect(broken.body.error.details.errors[0]).toMatchObject({ path: ['files'], message: expect.stringContaining('broken.pdf') });
  const renamed = await upload(Buffer.from('just text'), 'notes.pdf');
  expect(renamed.status).toBe(400);
  expect(renamed.body.error.details.errors[0].message).toContain('does not start with %PDF-');
  expect((await admin.get('/whatsapp/assistant/knowledge')).body.data.map((s: any) => s.title)).toEqual(['bike-guide']);
});

test('a PDF too slow to read is stopped and refused, and the server answers other requests while it is read', async () => {
  // 500 pages each running a million empty text operations: a 10 KB file pdf.js would parse for minutes.
  const slow = makePdf({ pages: KNOWLEDGE_PDF_MAX_PAGES, content: `BT /F1 1 Tf ${'() Tj '.repeat(1_000_000)} ET` });
  const done: string[] = [];
  const upload = admin.post('/whatsapp/assistant/knowledge/upload').attach('files', slow, { filename: 'slow.pdf', contentType: 'application/pdf' }).then((r) => (done.push('upload'), r));
  const list = await admin.get('/whatsapp/assistant/knowledge');
  expect(list.status).toBe(200);
  expect(done).toEqual([]);
  const refused = await upload;
  expect(refused.status).toBe(400);
  expect(refused.body.error.details.errors[0]).toMatchObject({ path: ['files'], message: expect.stringContaining(`slow.pdf took longer than ${KNOWLEDGE_PDF_TIMEOUT_MS / 1000} s to read`) });
});

test('a PDF with too many pages is refused naming the limit', async () => {
  const refused = await admin.post('/whatsapp/assistant/knowledge/upload').attach('files', makePdf({ pages: KNOWLEDGE_PDF_MAX_PAGES + 1 }), { filename: 'huge.pdf', contentType: 'application/pdf' });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details.errors[0]).toMatchObject({ path: ['files'], message: expect.stringContaining(`huge.pdf has ${KNOWLEDGE_PDF_MAX_PAGES + 1} pages: at most ${KNOWLEDGE_PDF_MAX_PAGES} are read`) });
  expect((await admin.get('/whatsapp/assistant/knowledge')).body.data.map((s: any) => s.title)).not.toContain('huge');
});

test('a collection source indexes the records, one section each, and re-indexes when a record changes', async () => {
  const tickets = app.strapi.documents(TICKET as any);
  const ticket = await tickets.create({ data: { subject: 'Tyre pressure', description: 'Road tyres take 6 bar of pressure.' } as any });
  await tickets.create({ data: { subject: 'Chain care', description: 'Oil the chain every 300 km.' } as any });
  const added = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'] });
  expect(added.status).toBe(201);
  expect(added.body.data).toMatchObject({ kind: 'collection', title: 'Ticket', chunks: 2, error: null, collection: { contentType: TICKET, titleField: 'subject', fields: ['description'] } });

  const filtered = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'], filters: { subject: { $startsWith: 'Chain' } } });
  expect(filtered.body.data).toMatchObject({ chunks: 1, collection: { filters: { subject: { $startsWith: 'Chain' } } } });
  expect((await admin.del(`/whatsapp/assistant/knowledge/${filtered.body.data.id}`)).status).toBe(200);

  const first = await ask('What tyre pressure do road tyres take?');
  expect(first).toMatchObject({ text: 'Road tyres take 6 bar of pressure.', citations: [expect.objectContaining({ title: 'Ticket — Tyre pressure' })] });

  await tickets.update({ documentId: ticket.documentId, data: { description: 'Road tyres take 7 bar of pressure.' } as any });
  const after = await askUntil('What tyre pressure do road tyres take?', '7 bar');
  expect(after.citations[0].title).toBe('Ticket — Tyre pressure');
  expect((await admin.del(`/whatsapp/assistant/knowledge/${added.body.data.id}`)).status).toBe(200);
});

test("a collection source is refused a private field, a field or a type the admin may not read; lost rights empty it with the reason", async () => {
  const privateField = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['internalNote'] });
  expect(privateField.status).toBe(400);
  expect(privateField.body.error.details.errors[0]).toMatchObject({ path: ['fields', '0'], message: expect.stringContaining('private') });
  const unknown = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: 'api::nothing.nothing', titleField: 'subject', fields: ['description'] });
  expect(unknown.body.error.details.errors[0].path).toEqual(['contentType']);
  const noFields = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: [] });
  expect(noFields.body.error.details.errors[0].path).toEqual(['fields']);
  const badFilter = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'], filters: { subject: { $nope: 1 } } });
  expect(badFilter.status).toBe(400);
  expect(badFilter.body.error.details.errors[0]).toMatchObject({ path: ['filters'], message: 'cannot be applied to this content type: check the field names, operators and values' });
  expect((await admin.get('/whatsapp/assistant/knowledge')).body.data.filter((s: any) => s.kind === 'collection')).toEqual([]);

  const staff = await createStaff(app.strapi, app.server, 'KnowledgeEditor', ['plugin::whatsapp.assistant.manage', contentManagerRead(TICKET, ['subject', 'description'])]);
  const editor = as(app.server, staff.token);
  const field = await editor.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description', 'status'] });
  expect(field.status).toBe(400);
  expect(field.body.error.details.errors[0]).toMatchObject({ path: ['fields', '1'], message: expect.stringContaining("may not read 'status'") });
  const type = await editor.post('/whatsapp/assistant/knowledge').send({ contentType: 'api::lead.lead', titleField: 'name', fields: ['source'] });
  expect(type.status).toBe(400);
  expect(type.body.error.details.errors[0]).toMatchObject({ path: ['contentType'], message: expect.stringContaining('may not read api::lead.lead') });
  const filter = await editor.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'], filters: { status: 'open' } });
  expect(filter.body.error.details.errors[0].path).toEqual(['filters', 'status']);

  const ok = await editor.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'] });
  expect(ok.status).toBe(201);
  expect(ok.body.data).toMatchObject({ chunks: 2, error: null });

  // The editor's role loses the read on tickets: the next re-index leaves the source empty, saying why.
  await app.strapi.service('admin::role').assignPermissions(staff.role.id, [{ action: 'plugin::whatsapp.assistant.manage', subject: null, properties: {}, conditions: [] }]);
  expect((await admin.post('/whatsapp/assistant/knowledge/reindex').send({})).status).toBe(200);
  const listed = (await admin.get('/whatsapp/assistant/knowledge')).body.data.find((s: any) => s.id === ok.body.data.id);
  expect(listed).toMatchObject({ chunks: 0, error: expect.stringContaining(`may not read ${TICKET}`) });
});

test("with two roles, a field only the conditional one grants is refused: it would be read on the records the other role lets through", async () => {
  const roles = app.strapi.service('admin::role');
  const grant = async (name: string, read: ReturnType<typeof contentManagerRead>) => {
    const role = await roles.create({ name: `${name} role`, description: name });
    await roles.assignPermissions(role.id, [{ action: 'plugin::whatsapp.assistant.manage', subject: null, properties: {}, conditions: [] }, { subject: null, properties: {}, conditions: [], ...(read as object) }]);
    return role.id;
  };
  const everyTicket = await grant('AllTicketsTitles', contentManagerRead(TICKET, ['subject', 'status']));
  const ownTickets = await grant('OwnTicketsDetail', contentManagerRead(TICKET, ['subject', 'status', 'description'], ['admin::is-creator']));
  await app.strapi.service('admin::user').create({ email: 'tworoles@test.local', firstname: 'Two', lastname: 'Roles', password: 'Staff-Member-2026', isActive: true, registrationToken: null, roles: [everyTicket, ownTickets] });
  const twoRoles = as(app.server, await login(app.server, 'tworoles@test.local', 'Staff-Member-2026'));

  const refused = await twoRoles.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'] });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details.errors[0]).toMatchObject({ path: ['fields', '0'], message: expect.stringContaining("may not read 'description'") });
  // A field the unconditional role grants is read on every record it lets through.
  const allowed = await twoRoles.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['status'] });
  expect(allowed.status).toBe(201);
  expect((await admin.del(`/whatsapp/assistant/knowledge/${allowed.body.data.id}`)).status).toBe(200);
});

test('a collection source is held to the knowledge size limit, saying it was truncated', async () => {
  const tickets = app.strapi.documents(TICKET as any);
  const made = [];
  // Eleven records of 100,000 characters: the eleventh passes the limit.
  for (let i = 0; i < 11; i += 1) made.push(await tickets.create({ data: { subject: `Long ${i}`, description: `Spoke tension ${i}. `.repeat(7_000).slice(0, 100_000) } as any }));
  const added = await admin.post('/whatsapp/assistant/knowledge').send({ contentType: TICKET, titleField: 'subject', fields: ['description'], filters: { subject: { $startsWith: 'Long' } } });
  expect(added.status).toBe(201);
  expect(added.body.data.error).toBe(`Truncated to ${KNOWLEDGE_MAX_CHARS} characters: the records past it are not indexed`);
  const stored = await app.strapi.db.query('plugin::whatsapp.assistant-source' as any).findOne({ where: { id: added.body.data.id } });
  expect(stored.text.length).toBeLessThanOrEqual(KNOWLEDGE_MAX_CHARS + added.body.data.chunks * 5);
  expect(stored.text).not.toContain('# Long 10');
  expect((await admin.del(`/whatsapp/assistant/knowledge/${added.body.data.id}`)).status).toBe(200);
  for (const t of made) await tickets.delete({ documentId: t.documentId });
});
