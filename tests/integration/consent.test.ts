/**
 * Consent and opt-out (README: Consent and opt-out), over real HTTP against the simulator: keywords
 * with one confirmation, Meta's user_preferences and error 131050, Gupshup's user-event, the CRM's
 * own field both ways, enforcement at the outbox door by source, and the consents API.
 */
import { as, createStaff } from '../helpers/admin';
import { until } from '../helpers/campaigns';
import { settleNotifications } from '../helpers/notifications';
import { connectMetaNumber, startWithSimulator, type SimulatedApp } from '../helpers/simulated-app';
import { TEST_PUBLIC_URL } from '../helpers/strapi';

// The machine is shared: booting Strapi alone can take over a minute under load.
jest.setTimeout(240_000);

let bed: SimulatedApp;
let number: any;
let gupshup: any;
const PNID = '109876543210719';
const WABA = '102030405060719';
const KIM = '15550071901'; // says STOP, then START
const LEE = '15550071902'; // stops marketing in WhatsApp's own settings
const MAY = '15550071903'; // a send to her fails with 131050
const ROY = '15550071904'; // staff change his CRM record's field
const GIA = '15550071905'; // a Gupshup user-event
const NED = '15550071906'; // requireMarketingOptIn
const IVY = '447700900719'; // a campaign recipient who did not opt out (marketing templates never go to +1 numbers)

const q = (name: string) => bed.app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const outbox = () => bed.app.strapi.plugin('whatsapp').service('outbox');
const settle = () => settleNotifications(bed.app, bed.sim);
const consentOf = async (numberId: number, phone: string) => (await bed.admin.get(`/whatsapp/consents/${numberId}/${phone}`)).body.data;
/** Runs the workers until `done` holds: a positive is polled for, never a sleep deciding it. */
const poll = async (done: () => Promise<boolean>, tries = 60) => {
  for (let i = 0; i < tries; i += 1) {
    if (await done()) return;
    await settle();
  }
  throw new Error('timed out');
};
const texts = async (to: string) => ((await bed.sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'text').map((m) => m.text?.body ?? m.text);
const templatesTo = async (to: string) => ((await bed.sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'template');
const contactFlags = async (phone: string) => (await bed.app.strapi.db.query('api::contact.contact').findMany({ where: { phone: `+${phone}` } })).map((r: any) => r.whatsappOptOut);
const refusalFor = async (target: unknown, input: object, source: string) => {
  try {
    await outbox().enqueue(target, input, { id: null, source });
    return null;
  } catch (error) {
    return (error as any).refusal?.reason ?? `not a refusal: ${(error as Error).message}`;
  }
};
const hello = (name: string) => ({ type: 'template', template: { name: 'hello_there', language: 'en_US', params: { body: [{ type: 'text', text: name }] } } });
const promo = (name: string) => ({ type: 'template', template: { name: 'promo', language: 'en_US', params: { body: [{ type: 'text', text: name }] } } });
const REPLIES = { optOut: 'You are unsubscribed. Reply START to come back.', optIn: 'Welcome back!' };

beforeAll(async () => {
  bed = await startWithSimulator((sim) => ({ WHATSAPP_GUPSHUP_BASE_URL: sim.url }));
  number = await connectMetaNumber(bed, { label: 'Consent', phone: '+15550071900', phoneNumberId: PNID, wabaId: WABA, accessToken: 'consent-token-0001', appSecret: 'consent-secret' });
  await bed.sim.client.createTemplate({ wabaId: WABA, name: 'hello_there', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}!' });
  await bed.sim.client.createTemplate({ wabaId: WABA, name: 'promo', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Sale for {{1}}!' });
  await bed.admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  for (const phone of [KIM, LEE, MAY, ROY, GIA, NED, IVY]) await bed.sim.client.setCustomer({ phone, reachable: true });
  for (const [name, phone] of [['Kim', KIM], ['Roy', ROY]]) await bed.app.strapi.documents('api::contact.contact').create({ data: { name, phone: `+${phone}` } as any, status: 'published' });
  expect((await bed.admin.put('/whatsapp/settings').send({ consentReplies: REPLIES })).status).toBe(200);
});
afterAll(async () => {
  await bed?.app.stop();
  await bed?.sim.close();
});

describe('keywords', () => {
  let conversation: any;

  test('STOP opts out with one confirmation and sets the CRM field', async () => {
    await bed.sim.client.customerSends({ from: KIM, to: PNID, name: 'Kim', text: 'Stop!' });
    await poll(async () => (await texts(KIM)).includes(REPLIES.optOut));
    const { consent, history } = await consentOf(number.id, KIM);
    expect(consent).toMatchObject({ status: 'opted-out', source: 'keyword', phone: `+${KIM}`, detail: 'the customer wrote "Stop!"' });
    expect(history).toHaveLength(1);
    expect(await contactFlags(KIM)).toEqual([true, true]);
    conversation = await q('conversation').findOne({ where: { numberId: number.id, customerWaId: KIM } });
    const detail = (await bed.admin.get(`/whatsapp/conversations/${conversation.id}`)).body.data;
    expect(detail.consent).toMatchObject({ status: 'opted-out', source: 'keyword' });
  });

  test('a replay of the STOP webhook sends no second confirmation', async () => {
    const rows = (await bed.admin.get('/whatsapp/logs/webhooks').query({ numberId: number.id, pageSize: 50 })).body.data as any[];
    const stop: any[] = [];
    for (const row of rows) if (JSON.stringify((await bed.admin.get(`/whatsapp/logs/webhooks/${row.id}`)).body.data).includes('Stop!')) stop.push(row);
    expect(stop).toHaveLength(1);
    const before = (await q('webhook-event').findOne({ where: { id: stop[0].id } })).processedAt;
    expect((await bed.admin.post(`/whatsapp/logs/webhooks/${stop[0].id}/replay`).send({})).status).toBe(200);
    // The replayed row is processed again (a deterministic barrier), then nothing new went out.
    await poll(async () => {
      const row = await q('webhook-event').findOne({ where: { id: stop[0].id } });
      return row.state === 'done' && new Date(row.processedAt) > new Date(before);
    });
    await settle();
    expect((await texts(KIM)).filter((t) => t === REPLIES.optOut)).toHaveLength(1);
    expect((await consentOf(number.id, KIM)).history).toHaveLength(1);
  });

  test('then a CRM event and a campaign skip with opted-out, while a staff reply still goes', async () => {
    expect(await refusalFor({ numberId: number.id, phone: `+${KIM}` }, hello('Kim'), 'notification')).toBe('opted-out');
    const rule = (
      await bed.admin.post('/whatsapp/notification-rules').send({
        numberId: number.id, name: 'Hello Kim', contentType: 'api::lead.lead', event: 'created', template: { name: 'hello_there', language: 'en_US' },
        parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'constant', value: `+${KIM}` },
      })
    ).body.data;
    await bed.app.strapi.documents('api::lead.lead').create({ data: { name: 'Lead for Kim', phone: '+15550071999' } as any });
    await settle();
    await bed.admin.put(`/whatsapp/notification-rules/${rule.id}`).send({ active: false });
    const [firing] = (await bed.admin.get(`/whatsapp/notification-rules/${rule.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'skipped', error: expect.stringMatching(/^the customer opted out \(keyword on /), trace: { reason: 'opted out' } });

    await bed.app.strapi.documents('api::lead.lead').create({ data: { name: 'Kim', phone: `+${KIM}`, source: 'consent-test' } as any });
    await bed.app.strapi.documents('api::lead.lead').create({ data: { name: 'Ivy', phone: `+${IVY}`, source: 'consent-test' } as any });
    const campaign = (
      await bed.admin.post('/whatsapp/campaigns').send({
        name: 'Consent promo', numberId: number.id, template: { name: 'promo', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }],
        audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { source: { $eq: 'consent-test' } } }, schedule: { type: 'now' },
      })
    ).body.data;
    const launched = await bed.admin.post(`/whatsapp/campaigns/${campaign.id}/launch`).send({});
    expect([launched.status, launched.body?.error?.message]).toEqual([200, undefined]);
    await until(bed.app, bed.sim, async () => (await bed.admin.get(`/whatsapp/campaigns/${campaign.id}`)).body.data.state === 'done');
    const recipients = (await bed.admin.get(`/whatsapp/campaigns/${campaign.id}/recipients`)).body.data as any[];
    expect(recipients.find((r) => r.phone === `+${KIM}`)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^opted-out/) });
    expect(await templatesTo(IVY)).toHaveLength(1);
    expect(await templatesTo(KIM)).toEqual([]);

    const staff = await bed.admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'Sorry to see you go, Kim' });
    expect(staff.status).toBeLessThan(300);
    await poll(async () => (await texts(KIM)).includes('Sorry to see you go, Kim'));
  });

  test('START opts back in with its confirmation and clears the CRM field', async () => {
    await bed.sim.client.customerSends({ from: KIM, to: PNID, name: 'Kim', text: 'start' });
    await poll(async () => (await texts(KIM)).includes(REPLIES.optIn));
    expect((await consentOf(number.id, KIM)).consent).toMatchObject({ status: 'opted-in', source: 'keyword' });
    expect(await contactFlags(KIM)).toEqual([false, false]);
    expect(await refusalFor({ numberId: number.id, phone: `+${KIM}` }, hello('Kim'), 'notification')).toBeNull();
  });
});

describe('provider signals', () => {
  test("Meta's user_preferences stop opts out; resume opts back in", async () => {
    await bed.sim.client.metaUserPreference(PNID, LEE, 'stop', 'Lee');
    await poll(async () => (await consentOf(number.id, LEE)).consent?.status === 'opted-out');
    expect((await consentOf(number.id, LEE)).consent).toMatchObject({ source: 'meta-preference', detail: 'User requested to stop marketing messages' });
    expect(await refusalFor({ numberId: number.id, phone: `+${LEE}` }, promo('Lee'), 'campaign')).toBe('opted-out');
    await bed.sim.client.metaUserPreference(PNID, LEE, 'resume', 'Lee');
    await poll(async () => (await consentOf(number.id, LEE)).consent?.status === 'opted-in');
  });

  test('a send failing with 131050 opts the customer out; the next one is refused before it costs a call', async () => {
    const row = await outbox().enqueue({ numberId: number.id, phone: `+${MAY}` }, promo('May'), { id: null, source: 'notification' });
    await poll(async () => Boolean((await q('message').findOne({ where: { id: row.id } })).providerMessageId));
    const sent = await q('message').findOne({ where: { id: row.id } });
    await bed.sim.client.fail(sent.providerMessageId, 131050, 'User stopped marketing messages from you');
    await poll(async () => (await consentOf(number.id, MAY)).consent?.status === 'opted-out');
    expect((await consentOf(number.id, MAY)).consent).toMatchObject({ source: 'provider-error', detail: expect.stringContaining('131050') });
    expect(await q('message').findOne({ where: { id: row.id } })).toMatchObject({ status: 'failed', errorClass: 'opted-out' });
    expect(await refusalFor({ numberId: number.id, phone: `+${MAY}` }, promo('May'), 'campaign')).toBe('opted-out');
  });

  test("a Gupshup user-event opts out and back in on the app's number", async () => {
    const res = await bed.admin.post('/whatsapp/numbers').send({ label: 'Gupshup consent', provider: 'gupshup', phone: '+919876500719', apiKey: 'gs-consent-key-0001', appName: 'ConsentApp' });
    expect(res.status).toBe(201);
    gupshup = res.body.data;
    await bed.sim.client.addGupshupApp({ appName: 'ConsentApp', apiKey: 'gs-consent-key-0001', sourcePhone: '919876500719', webhookUrl: gupshup.webhookUrl.replace(TEST_PUBLIC_URL, bed.base) });
    await bed.sim.client.gupshupUserEvent('ConsentApp', GIA, 'opted-out');
    await poll(async () => (await consentOf(gupshup.id, GIA)).consent?.status === 'opted-out');
    expect((await consentOf(gupshup.id, GIA)).consent).toMatchObject({ source: 'gupshup-event' });
    // Consent is per number: the Meta number may still write to her.
    expect((await consentOf(number.id, GIA)).consent).toBeNull();
    await bed.sim.client.gupshupUserEvent('ConsentApp', GIA, 'opted-in');
    await poll(async () => (await consentOf(gupshup.id, GIA)).consent?.status === 'opted-in');
  });
});

describe('the CRM field and staff', () => {
  test("a staff change of the CRM record's opt-out field becomes the consent, both ways", async () => {
    const roy = await bed.app.strapi.documents('api::contact.contact').findFirst({ filters: { phone: `+${ROY}` } as any });
    await bed.app.strapi.documents('api::contact.contact').update({ documentId: roy!.documentId, data: { whatsappOptOut: true } as any, status: 'published' } as any);
    await poll(async () => (await consentOf(number.id, ROY)).consent?.status === 'opted-out');
    expect((await consentOf(number.id, ROY)).consent).toMatchObject({ source: 'crm-field' });
    await bed.app.strapi.documents('api::contact.contact').update({ documentId: roy!.documentId, data: { whatsappOptOut: false } as any, status: 'published' } as any);
    await poll(async () => (await consentOf(number.id, ROY)).consent?.status === 'opted-in');
  });

  test('staff opt a customer out and in with a note; bad input is a 400 naming the field', async () => {
    const out = await bed.admin.put(`/whatsapp/consents/${number.id}/${ROY}`).send({ status: 'opted-out', note: 'asked by phone' });
    expect(out.status).toBe(200);
    expect(out.body.data).toMatchObject({ status: 'opted-out', source: 'staff', detail: 'asked by phone' });
    expect(await contactFlags(ROY)).toEqual([true, true]);
    const bad = await bed.admin.put(`/whatsapp/consents/${number.id}/${ROY}`).send({ status: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['status']);
    expect((await bed.admin.put(`/whatsapp/consents/999999/${ROY}`).send({ status: 'opted-in' })).status).toBe(404);
  });

  test('with requireMarketingOptIn, a MARKETING template needs an explicit opt-in; UTILITY and replies do not', async () => {
    expect((await bed.admin.put('/whatsapp/settings').send({ requireMarketingOptIn: true })).status).toBe(200);
    try {
      expect(await refusalFor({ numberId: number.id, phone: `+${NED}` }, promo('Ned'), 'campaign')).toBe('no-consent');
      expect(await refusalFor({ numberId: number.id, phone: `+${NED}` }, promo('Ned'), 'notification')).toBe('no-consent');
      await bed.admin.put(`/whatsapp/consents/${number.id}/${NED}`).send({ status: 'opted-in', note: 'signed the form' });
      expect(await refusalFor({ numberId: number.id, phone: `+${NED}` }, { ...promo('Ned'), idempotencyKey: 'ned-promo' }, 'campaign')).toBeNull();
    } finally {
      await bed.admin.put('/whatsapp/settings').send({ requireMarketingOptIn: false });
    }
  });

  test('an opt-out stored under one form of a Mexican phone refuses its twin', async () => {
    // WhatsApp's id keeps Mexico's old mobile "1"; the address book does not: both forms are one person.
    await bed.app.strapi.documents('api::contact.contact').create({ data: { name: 'Mexico', phone: '+52 55 1234 5678', whatsappOptOut: true } as any, status: 'published' });
    const found = await bed.app.strapi.plugin('whatsapp').service('opt-out').reasons(['+5215512345678', '+525512345678'], 'MX');
    expect([...found.keys()].sort()).toEqual(['+5215512345678', '+525512345678']);
    await bed.admin.put(`/whatsapp/consents/${number.id}/5215599990000`).send({ status: 'opted-out' });
    expect(await refusalFor({ numberId: number.id, phone: '+525599990000' }, hello('Twin'), 'notification')).toBe('opted-out');
  });
});

describe('the consents API', () => {
  test('lists with filters and pages, and exports CSV', async () => {
    const out = (await bed.admin.get('/whatsapp/consents').query({ status: 'opted-out', numberId: number.id })).body;
    expect(out.data.map((c: any) => c.phone)).toEqual(expect.arrayContaining([`+${MAY}`, `+${ROY}`]));
    expect(out.data.every((c: any) => c.status === 'opted-out')).toBe(true);
    expect((await bed.admin.get('/whatsapp/consents').query({ source: 'keyword' })).body.data.map((c: any) => c.phone)).toEqual([`+${KIM}`]);
    expect((await bed.admin.get('/whatsapp/consents').query({ search: MAY.slice(-5) })).body.data.map((c: any) => c.phone)).toEqual([`+${MAY}`]);
    const page = (await bed.admin.get('/whatsapp/consents').query({ pageSize: 1, page: 2 })).body;
    expect(page.data).toHaveLength(1);
    expect(page.meta.pagination).toMatchObject({ page: 2, pageSize: 1, total: expect.any(Number) });
    expect((await bed.admin.get('/whatsapp/consents').query({ status: 'nope' })).status).toBe(400);
    const csv = await bed.admin.get('/whatsapp/consents/export').query({ status: 'opted-out' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('numberId,phone,status,source,at,detail');
    expect(lines.some((l: string) => l.includes(`+${MAY}`) && l.includes('provider-error'))).toBe(true);
  });

  test("a team member sees only their numbers' consents, and needs consents.manage to change one", async () => {
    const { role, token } = await createStaff(bed.app.strapi, bed.app.server, 'Consentreader', ['plugin::whatsapp.consents.read']);
    await bed.admin.put(`/whatsapp/numbers/${number.id}`).send({ teamRoleIds: [role.id] });
    const other = await bed.app.strapi.service('admin::role').create({ name: 'Other consent team', description: 'not the reader' });
    await bed.admin.put(`/whatsapp/numbers/${gupshup.id}`).send({ teamRoleIds: [other.id] });
    try {
      const reader = as(bed.app.server, token);
      const seen = (await reader.get('/whatsapp/consents').query({ pageSize: 200 })).body.data as any[];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((c) => c.numberId === number.id)).toBe(true);
      expect((await reader.get(`/whatsapp/consents/${gupshup.id}/${GIA}`)).status).toBe(404);
      expect((await reader.get('/whatsapp/consents/export')).text).not.toContain(GIA);
      expect((await reader.put(`/whatsapp/consents/${number.id}/${KIM}`).send({ status: 'opted-out' })).status).toBe(403);
    } finally {
      await bed.admin.put(`/whatsapp/numbers/${number.id}`).send({ teamRoleIds: [] });
      await bed.admin.put(`/whatsapp/numbers/${gupshup.id}`).send({ teamRoleIds: [] });
    }
  });
});
