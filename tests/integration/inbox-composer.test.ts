/**
 * What the inbox composer and thread need from the server: the stored file of a media message (a
 * customer's photo once the media worker stored it, a file sent from the Media Library), and the
 * CRM records a new conversation can be started with, and places and contact cards staff send.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningSimulator } from '../../simulator';
import { as, login } from '../helpers/admin';
import { ADMIN } from '../helpers/strapi';
import { tinyPng } from '../helpers/png';
import type { TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';

const PNID = '109876543210987';
let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 3; i += 1) {
    await sim.client.settle();
    for (const name of ['inbound', 'media', 'outbox']) {
      plugin.service(name).kick();
      await plugin.service(name).idle();
    }
  }
};

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  await connectMetaNumber(started, { label: 'Media', phone: '+15550001111', phoneNumberId: PNID, wabaId: '102030405060708', accessToken: 'thread-media-token', appSecret: 'thread-media-secret' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('media messages carry their stored file (url, mime, name) in and out, interactive ones what they offered; text messages neither', async () => {
  const png = tinyPng(12);
  await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice Example', text: 'hello' });
  await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice Example', type: 'image', caption: 'the broken part', mimeType: 'image/png', mediaBase64: png.toString('base64') });
  await settle();
  const conversation = (await admin.get('/whatsapp/conversations')).body.data[0];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-thread-'));
  const filepath = path.join(dir, 'quote.pdf');
  fs.writeFileSync(filepath, '%PDF-1.4 quote');
  const [file] = await app.strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { name: 'quote.pdf' } }, files: { filepath, originalFilename: 'quote.pdf', mimetype: 'application/pdf', size: fs.statSync(filepath).size } });
  const sent = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'media', fileId: file.id, caption: 'Your quote' });
  expect(sent.status).toBe(201);
  await settle();

  const buttons = { type: 'button', body: 'Is this the right part?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] };
  expect((await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'interactive', interactive: buttons })).status).toBe(201);
  const res = await admin.get(`/whatsapp/conversations/${conversation.id}/messages`);
  expect(res.status).toBe(200);
  const byType = (type: string) => res.body.data.find((m: any) => m.type === type);
  expect(byType('text').media).toBeNull();
  expect(byType('text').interactive).toBeNull();
  expect(byType('interactive')).toMatchObject({ text: 'Is this the right part?', media: null, interactive: buttons });
  // A customer's file is served by the team-checked admin route; a file staff sent by its upload URL.
  expect(byType('image')).toMatchObject({ direction: 'in', mediaState: 'stored', mediaError: null, text: 'the broken part', media: { mime: 'image/png', url: `/whatsapp/messages/${byType('image').id}/media` } });
  expect(byType('document')).toMatchObject({ direction: 'out', text: 'Your quote', media: { mime: 'application/pdf', filename: 'quote.pdf', url: expect.stringMatching(/^\/uploads\//) } });

  // The url is where the admin panel loads the file from (the upload plugin may re-encode images).
  const image = await admin.get(byType('image').media.url);
  expect(image.status).toBe(200);
  expect(image.headers['content-type']).toBe('image/png');
  const pdf = await request(app.server).get(byType('document').media.url).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(pdf.status).toBe(200);
  expect((pdf.body as Buffer).toString()).toBe('%PDF-1.4 quote');
});

test('staff send a place and a contact card from the inbox: they reach the provider as location and contacts messages; bad ones are 400s naming the field', async () => {
  await sim.client.customerSends({ from: '15550002288', to: PNID, name: 'Place Asker', text: 'where are you?' });
  await settle();
  const conversation = (await admin.get('/whatsapp/conversations')).body.data.find((c: any) => c.customerWaId === '15550002288');
  const send = (body: object) => admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send(body);

  const badPlace = await send({ type: 'location', location: { latitude: 91, longitude: 2 } });
  expect(badPlace.status).toBe(400);
  expect(badPlace.body.error.details.errors.map((e: any) => e.path)).toContainEqual(['location', 'latitude']);
  const badCard = await send({ type: 'contacts', contact: { name: 'Ana', phone: 'call me' } });
  expect(badCard.status).toBe(400);
  expect(badCard.body.error.details.errors.map((e: any) => e.path)).toContainEqual(['contact', 'phone']);

  expect((await send({ type: 'location', location: { latitude: 48.8584, longitude: 2.2945, name: 'Our shop', address: 'Champ de Mars, Paris' } })).status).toBe(201);
  expect((await send({ type: 'contacts', contact: { name: 'Ana Support', phone: '+33 6 00 00 00 00', email: 'ana@example.com' } })).status).toBe(201);
  await settle();
  const arrived = (await sim.client.outbound({ to: '15550002288' })) as any[];
  expect(arrived.map((m) => m.type)).toEqual(['location', 'contacts']);
  expect(arrived[0].location).toMatchObject({ latitude: 48.8584, longitude: 2.2945, name: 'Our shop' });
  const thread = (await admin.get(`/whatsapp/conversations/${conversation.id}/messages`)).body.data as any[];
  const out = thread.filter((m) => m.direction === 'out').reverse();
  expect(out.map((m) => [m.type, m.source])).toEqual([
    ['location', 'inbox'],
    ['contacts', 'inbox'],
  ]);
  expect(out[1].contact).toEqual({ name: 'Ana Support', phone: '+33 6 00 00 00 00', email: 'ana@example.com' });
});

describe('recipients for a new conversation', () => {
  let numberId: number;
  beforeAll(async () => {
    numberId = (await admin.get('/whatsapp/numbers')).body.data[0].id;
    await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Dana Example', phone: '+1 555 000 5555' } as any });
    await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Nophone Example' } as any });
    await app.strapi.documents('api::contact.contact' as any).create({ data: { name: 'Erin Example', phone: '+15550006666' } as any, status: 'published' });
    await sim.client.createTemplate({ wabaId: '102030405060708', name: 'hello_again', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}!' });
    await admin.post('/whatsapp/templates/sync').send({});
  });

  test('records with a phone, found by name or phone, one entry per document', async () => {
    const byName = await admin.get('/whatsapp/host/recipients?q=example');
    expect(byName.status).toBe(200);
    expect(byName.body.data).toEqual([
      { kind: 'lead', label: 'Lead', uid: 'api::lead.lead', documentId: expect.any(String), name: 'Dana Example', phone: '+1 555 000 5555' },
      { kind: 'contact', label: 'Contact', uid: 'api::contact.contact', documentId: expect.any(String), name: 'Erin Example', phone: '+15550006666' },
    ]);
    const byPhone = await admin.get('/whatsapp/host/recipients?q=5550006');
    expect(byPhone.body.data.map((r: any) => r.name)).toEqual(['Erin Example']);
    expect((await admin.get('/whatsapp/host/recipients?q=nophone')).body.data).toEqual([]);
  });

  test('a found record starts a conversation linked to it', async () => {
    const [dana] = (await admin.get('/whatsapp/host/recipients?q=dana')).body.data;
    const started = await admin.post('/whatsapp/conversations').send({ numberId, record: { uid: dana.uid, documentId: dana.documentId }, template: { name: 'hello_again', language: 'en_US', params: { body: [{ type: 'text', text: 'Dana' }] } } });
    expect(started.status).toBe(201);
    // The message keeps the text Dana reads, and so does the list's preview.
    expect(started.body.data.message).toMatchObject({ type: 'template', text: 'Hello Dana!' });
    expect(started.body.data.conversation).toMatchObject({ lastMessagePreview: 'Hello Dana!', customerPhone: '+15550005555', crmName: 'Dana Example', crm: { kind: 'lead', uid: 'api::lead.lead', documentId: dana.documentId } });
    await settle();
    expect((await sim.client.outbound({ to: '15550005555' })).some((m: any) => m.text === 'Hello Dana!')).toBe(true);
  });

  test('bad queries are 400s', async () => {
    expect((await admin.get('/whatsapp/host/recipients?q=a')).status).toBe(400);
    expect((await admin.get('/whatsapp/host/recipients')).status).toBe(400);
  });

  test('only for those who may send, and only in the types they may read', async () => {
    const role = await app.strapi.service('admin::role').create({ name: 'Lead senders', description: 'send, read leads' });
    const send = ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send'].map((action) => ({ action, subject: null, properties: {}, conditions: [] }));
    await app.strapi.service('admin::role').assignPermissions(role.id, [...send, { action: 'plugin::content-manager.explorer.read', subject: 'api::lead.lead', properties: { fields: ['name', 'phone'] }, conditions: [] }]);
    const readers = await app.strapi.service('admin::role').create({ name: 'Inbox readers only', description: 'read' });
    await app.strapi.service('admin::role').assignPermissions(readers.id, [send[0]]);
    const make = async (email: string, roleId: number) => {
      await app.strapi.service('admin::user').create({ email, firstname: 'R', lastname: 'S', password: ADMIN.password, isActive: true, registrationToken: null, roles: [roleId] });
      return as(app.server, await login(app.server, email, ADMIN.password));
    };
    const sender = await make('lead-sender@test.local', role.id);
    const res = await sender.get('/whatsapp/host/recipients?q=example');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: any) => r.name)).toEqual(['Dana Example']);
    const reader = await make('inbox-reader@test.local', readers.id);
    expect((await reader.get('/whatsapp/host/recipients?q=example')).status).toBe(403);

    // The Content Manager's field and record limits hold here too.
    const readLeads = (properties: object, conditions: string[] = []) => ({ action: 'plugin::content-manager.explorer.read', subject: 'api::lead.lead', properties, conditions });
    const noPhone = await app.strapi.service('admin::role').create({ name: 'Lead names only', description: 'no phones' });
    await app.strapi.service('admin::role').assignPermissions(noPhone.id, [...send, readLeads({ fields: ['name'] })]);
    const namesOnly = await make('names-only@test.local', noPhone.id);
    expect((await namesOnly.get('/whatsapp/host/recipients?q=example')).body.data).toEqual([]);

    const phoneNoName = await app.strapi.service('admin::role').create({ name: 'Lead phones only', description: 'no names' });
    await app.strapi.service('admin::role').assignPermissions(phoneNoName.id, [...send, readLeads({ fields: ['phone'] })]);
    const phonesOnly = await make('phones-only@test.local', phoneNoName.id);
    expect((await phonesOnly.get('/whatsapp/host/recipients?q=dana')).body.data).toEqual([]);
    expect((await phonesOnly.get('/whatsapp/host/recipients?q=000%205555')).body.data).toEqual([
      { kind: 'lead', label: 'Lead', uid: 'api::lead.lead', documentId: expect.any(String), name: null, phone: '+1 555 000 5555' },
    ]);

    const own = await app.strapi.service('admin::role').create({ name: 'Own leads', description: 'is creator' });
    await app.strapi.service('admin::role').assignPermissions(own.id, [...send, readLeads({ fields: ['name', 'phone'] }, ['admin::is-creator'])]);
    const creator = await make('own-leads@test.local', own.id);
    const creatorId = (await app.strapi.db.query('admin::user').findOne({ where: { email: 'own-leads@test.local' } })).id;
    const owned = await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Owned Example', phone: '+1 555 000 7777' } as any });
    await app.strapi.db.query('api::lead.lead' as any).updateMany({ where: { documentId: owned.documentId }, data: { createdBy: creatorId } });
    expect((await creator.get('/whatsapp/host/recipients?q=example')).body.data.map((r: any) => r.name)).toEqual(['Owned Example']);
  });
});

describe('starting a conversation with a CRM record follows the Content Manager', () => {
  test('a record the caller may not read (type, phone field or role condition) is a 404 and nothing is sent', async () => {
    const numberId = (await admin.get('/whatsapp/numbers')).body.data[0].id;
    const send = ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send'].map((action) => ({ action, subject: null, properties: {}, conditions: [] }));
    const readLeads = (fields: string[], conditions: string[] = []) => ({ action: 'plugin::content-manager.explorer.read', subject: 'api::lead.lead', properties: { fields }, conditions });
    const make = async (name: string, grants: object[]) => {
      const role = await app.strapi.service('admin::role').create({ name: `Start ${name}`, description: name });
      await app.strapi.service('admin::role').assignPermissions(role.id, grants);
      const email = `start-${name}@test.local`;
      await app.strapi.service('admin::user').create({ email, firstname: 'S', lastname: name, password: ADMIN.password, isActive: true, registrationToken: null, roles: [role.id] });
      return { user: as(app.server, await login(app.server, email, ADMIN.password)), id: (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id };
    };
    const lead = await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Gail Private', phone: '+1 555 000 7714' } as any });
    await sim.client.setCustomer({ phone: '15550007714', name: 'Gail', reachable: true });
    const body = { numberId, record: { uid: 'api::lead.lead', documentId: lead.documentId }, template: { name: 'hello_again', language: 'en_US', params: { body: [{ type: 'text', text: 'Gail' }] } } };

    const noLeads = await make('no-leads', send);
    const namesOnly = await make('names-only', [...send, readLeads(['name'])]);
    const ownOnly = await make('own-only', [...send, readLeads(['name', 'phone'], ['admin::is-creator'])]);
    for (const caller of [noLeads, namesOnly, ownOnly]) expect((await caller.user.post('/whatsapp/conversations').send(body)).status).toBe(404);
    expect(await app.strapi.db.query('plugin::whatsapp.conversation').count({ where: { customerWaId: '15550007714' } })).toBe(0);

    await app.strapi.db.query('api::lead.lead' as any).updateMany({ where: { documentId: lead.documentId }, data: { createdBy: ownOnly.id } });
    expect((await ownOnly.user.post('/whatsapp/conversations').send(body)).status).toBe(201);
  });
});

describe('send options: the numbers and approved templates a sender may use', () => {
  test('approved, current templates of the sender’s active numbers; no templates.read or numbers.read needed; teams apply', async () => {
    await sim.client.createTemplate({ wabaId: '102030405060708', name: 'not_yet', language: 'en_US', category: 'UTILITY', status: 'PENDING', body: 'Soon {{1}}' });
    await admin.post('/whatsapp/templates/sync').send({});
    const res = await admin.get('/whatsapp/send-options');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ label: 'Media', phone: '+15550001111', provider: 'meta', freeForm: true, templates: [expect.objectContaining({ name: 'hello_again', status: 'APPROVED', parameterSchema: { header: null, body: ['1'], buttons: [] } })] }),
    ]);

    const senders = await app.strapi.service('admin::role').create({ name: 'Plain senders', description: 'read and send' });
    await app.strapi.service('admin::role').assignPermissions(senders.id, ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send'].map((action) => ({ action, subject: null, properties: {}, conditions: [] })));
    await app.strapi.service('admin::user').create({ email: 'plain-sender@test.local', firstname: 'P', lastname: 'S', password: ADMIN.password, isActive: true, registrationToken: null, roles: [senders.id] });
    const sender = as(app.server, await login(app.server, 'plain-sender@test.local', ADMIN.password));
    expect((await sender.get('/whatsapp/templates')).status).toBe(403);
    const mine = await sender.get('/whatsapp/send-options');
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((o: any) => o.templates.map((t: any) => t.name))).toEqual([['hello_again']]);

    // The number becomes another team's: this sender has nothing to send from.
    const other = await app.strapi.service('admin::role').create({ name: 'Other team', description: 'x' });
    const numberId = res.body.data[0].numberId;
    expect((await admin.put(`/whatsapp/numbers/${numberId}`).send({ teamRoleIds: [other.id] })).status).toBe(200);
    expect((await sender.get('/whatsapp/send-options')).body.data).toEqual([]);
    expect((await admin.get('/whatsapp/send-options')).body.data).toHaveLength(1);

    const readers = await app.strapi.service('admin::role').create({ name: 'Only readers', description: 'read' });
    await app.strapi.service('admin::role').assignPermissions(readers.id, [{ action: 'plugin::whatsapp.inbox.read', subject: null, properties: {}, conditions: [] }]);
    await app.strapi.service('admin::user').create({ email: 'only-reader@test.local', firstname: 'O', lastname: 'R', password: ADMIN.password, isActive: true, registrationToken: null, roles: [readers.id] });
    expect((await as(app.server, await login(app.server, 'only-reader@test.local', ADMIN.password)).get('/whatsapp/send-options')).status).toBe(403);
  });
});
