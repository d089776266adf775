import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import type { as } from '../helpers/admin';
import { campaignBed, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const sentTo = async (to: string) => ((await sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'template');
const lead = (data: Record<string, unknown>) => app.strapi.documents('api::lead.lead').create({ data: data as any });
const state = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data.state;
const recipients = async (id: number, query: Record<string, unknown> = {}) => (await admin.get(`/whatsapp/campaigns/${id}/recipients`).query({ pageSize: 1000, ...query })).body;

const base = (body: Record<string, unknown> = {}) => ({
  name: 'Spring promo',
  numberId: number.id,
  template: { name: 'promo', language: 'en_US' },
  parameters: [
    { component: 'body', index: 0, from: 'field', value: 'name' },
    { component: 'body', index: 1, from: 'constant', value: 'SPRING' },
  ],
  audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { source: { $eq: 'spring' } } },
  schedule: { type: 'now' },
  ...body,
});

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(undefined, [
    { name: 'promo', category: 'MARKETING', body: 'Hi {{1}}, use code {{2}}!' },
    { name: 'notice', category: 'UTILITY', body: 'Hello {{1}}, your order {{2}} shipped.' },
  ]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('validation', () => {
  test('errors name the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ template: { name: 'nope', language: 'en_US' } }, 'template'],
      [{ audience: { contentType: 'api::lead.lead', phoneField: 'nope' } }, 'audience'],
      [{ audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { owner: { password: { $eq: 'x' } } } } }, 'audience'],
      [{ parameters: [{ component: 'body', index: 0, from: 'column', value: 'first' }] }, 'parameters'],
      [{ schedule: { type: 'once' } }, 'schedule'],
      [{ schedule: { type: 'recurring', cron: 'not a cron' } }, 'schedule'],
      [{ schedule: { type: 'once', at: '2001-01-01T00:00:00Z' } }, 'schedule'],
      [{ numberId: 999999 }, 'numberId'],
    ];
    for (const [patch, field] of cases) {
      const res = await admin.post('/whatsapp/campaigns').send(base(patch));
      expect({ patch, status: res.status }).toEqual({ patch, status: 400 });
      expect(res.body.error.name).toBe('ValidationError');
      expect(res.body.error.details.errors.map((e: any) => e.path[0])).toContain(field);
    }
  });

  test('a messaging tier on the number is validated and answered', async () => {
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: 'TIER_2' })).status).toBe(400);
    const res = await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: 'TIER_1K' });
    expect(res.status).toBe(200);
    expect(res.body.data.messagingTier).toBe('TIER_1K');
  });
});

describe('a campaign to a filter of leads', () => {
  let id: number;
  beforeAll(async () => {
    await lead({ name: 'Ana', phone: '+447700900001', source: 'spring', marketingConsent: true });
    await lead({ name: 'Ben', phone: '+44 7700 900002', source: 'spring', marketingConsent: true });
    await lead({ name: 'Cy', phone: '+447700900003', source: 'spring', whatsappOptOut: true });
    await lead({ name: 'Dee', phone: '', source: 'spring' });
    await lead({ name: 'Eve', phone: 'not a phone', source: 'spring' });
    await lead({ name: 'Fay', phone: '+447700900001', source: 'spring' });
    await lead({ name: 'Gus', phone: '+15550004444', source: 'spring' });
    await lead({ name: 'Hal', phone: '+447700900009', source: 'autumn' });
    const res = await admin.post('/whatsapp/campaigns').send(base());
    expect(res.status).toBe(201);
    id = res.body.data.id;
    expect(res.body.data).toMatchObject({ state: 'draft', audit: [{ action: 'created', userId: expect.any(Number) }] });
  });

  test('pre-flight: count, exclusions by reason, template, duration and budget', async () => {
    const res = await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({});
    expect(res.status).toBe(200);
    const p = res.body.data;
    expect(p.audience).toBe(7);
    expect(p.sendable).toBe(2);
    const by = Object.fromEntries(p.exclusions.map((e: any) => [e.reason, e.count]));
    expect(by).toEqual({ 'opted-out': 1, 'no-phone': 1, 'invalid-phone': 1, duplicate: 1, 'marketing-to-us': 1 });
    expect(p.template).toMatchObject({ status: 'APPROVED', category: 'MARKETING', sendable: true });
    expect(p.number).toMatchObject({ messagingTier: 'TIER_1K', dailyLimit: 1000, remainingToday: 1000 });
    expect(p.canLaunch).toBe(true);
    expect(p.sample[0]).toMatchObject({ phone: '+447700900001', parameters: { body: [{ text: 'Ana' }, { text: 'SPRING' }] } });
  });

  test('launch sends each recipient once; skipped rows say why; the funnel and export follow', async () => {
    const res = await admin.post(`/whatsapp/campaigns/${id}/launch`).send({});
    expect(res.status).toBe(200);
    expect(res.body.data.state).toBe('running');
    await until(app, sim, async () => (await state(id)) === 'done');
    expect(await sentTo('447700900001')).toHaveLength(1);
    expect(await sentTo('447700900002')).toHaveLength(1);
    expect(await sentTo('447700900003')).toHaveLength(0);
    expect(await sentTo('15550004444')).toHaveLength(0);
    expect(JSON.stringify((await sentTo('447700900001'))[0])).toContain('Ana');
    const list = await recipients(id);
    expect(list.meta.pagination.total).toBe(7);
    const sent = list.data.filter((r: any) => ['sent', 'delivered', 'read'].includes(r.status));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ phone: '+447700900001', sentAt: expect.any(String), errorCode: null });
    const skipped = (await recipients(id, { status: 'skipped' })).data;
    expect(skipped.map((r: any) => r.reason.split(':')[0]).sort()).toEqual(['duplicate', 'invalid-phone', 'marketing-to-us', 'no-phone', 'opted-out']);
    const detail = (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
    expect(detail.counters).toMatchObject({ total: 7, skipped: 5 });
    expect(detail.funnel).toMatchObject({ audience: 2, sent: 2 });
    expect(detail.audit.map((a: any) => a.action)).toEqual(['created', 'launched', 'done']);
    const csv = await admin.get(`/whatsapp/campaigns/${id}/recipients.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="campaign-\d+-Spring-promo\.csv"$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('phone,status,reason,errorCode,errorClass,queuedAt,sentAt,deliveredAt,readAt,repliedAt,failedAt,occurrenceId');
    expect(lines).toHaveLength(8);
    // An E.164 phone is a plain number, not a formula: it stays as it is (issue 18).
    expect(lines.filter((l) => l.startsWith('+447700900001,'))).toHaveLength(1);
  });

  test('a customer reply within the window makes the recipient replied', async () => {
    await sim.client.customerSends({ from: '447700900002', to: '15550001111', type: 'text', text: 'Thanks!' } as any);
    await until(app, sim, async () => (await recipients(id, { status: 'replied' })).data.length === 1);
    expect((await admin.get(`/whatsapp/campaigns/${id}`)).body.data.funnel.replied).toBe(1);
  });

  test('another campaign within N hours leaves those customers out; consent is required where configured', async () => {
    const res = await admin.post('/whatsapp/campaigns').send(base({ name: 'Follow-up', audience: { contentType: 'api::lead.lead', phoneField: 'phone', consentField: 'marketingConsent', filters: { source: { $eq: 'spring' } } }, options: { contactedWithinHours: 24 } }));
    expect(res.status).toBe(201);
    const p = (await admin.post(`/whatsapp/campaigns/${res.body.data.id}/preflight`).send({})).body.data;
    const by = Object.fromEntries(p.exclusions.map((e: any) => [e.reason, e.count]));
    expect(by['recently-contacted']).toBe(2);
    expect(by['no-marketing-consent']).toBe(1);
    expect(p.sendable).toBe(0);
    expect(p.canLaunch).toBe(false);
    const launch = await admin.post(`/whatsapp/campaigns/${res.body.data.id}/launch`).send({});
    expect(launch.status).toBe(400);
    expect(launch.body.error.details.errors[0].path).toEqual(['audience']);
  });
});

describe('CSV audience, missing parameters, failures and retry', () => {
  let id: number;
  beforeAll(async () => {
    await sim.client.setFault(PNID, { autoDeliver: false });
    const csv = ['phone,first,order', '+33612345601,Zoé,A-1', '+33612345602,,A-2', '"+33 6 12 34 56 03","Léa, Jr",A-3', '+33612345604,Max,A-4', '=1+1,Evil,A-5', '+33612345601,Dup,A-6'].join('\r\n');
    const res = await admin.post('/whatsapp/campaigns').send({
      name: 'Shipping',
      numberId: number.id,
      template: { name: 'notice', language: 'en_US' },
      parameters: [
        { component: 'body', index: 0, from: 'column', value: 'first' },
        { component: 'body', index: 1, from: 'column', value: 'order' },
      ],
      audience: { csv },
      schedule: { type: 'now' },
      options: { ecosystemRetries: 0 },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.audience.csv).toEqual({ rows: 6, columns: ['phone', 'first', 'order'] });
    id = res.body.data.id;
  });
  afterAll(() => sim.client.setFault(PNID, { autoDeliver: true }));

  test('the CSV is parsed with quotes; empty values without a fallback skip the recipient', async () => {
    const p = (await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({})).body.data;
    expect(p.sendable).toBe(3);
    expect(Object.fromEntries(p.exclusions.map((e: any) => [e.reason, e.count]))).toEqual({ 'missing-parameter': 1, 'invalid-phone': 1, duplicate: 1 });
    expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
    await until(app, sim, async () => (await recipients(id, { status: 'sent' })).data.length === 3);
    expect(JSON.stringify(await sentTo('33612345603'))).toContain('Léa, Jr');
  });

  test('131049 and 131026 fail with their reasons; retry failed sends only the retryable one again', async () => {
    const [first] = await sentTo('33612345601');
    const [third] = await sentTo('33612345603');
    await sim.client.fail(first.id, 131049);
    await sim.client.fail(third.id, 131026);
    await until(app, sim, async () => (await recipients(id, { status: 'failed' })).data.length === 2);
    const failed = (await recipients(id, { status: 'failed' })).data;
    const eco = failed.find((r: any) => r.phone === '+33612345601');
    const gone = failed.find((r: any) => r.phone === '+33612345603');
    expect(eco).toMatchObject({ errorCode: '131049', retryable: true, reason: expect.stringMatching(/24 hours/) });
    expect(gone).toMatchObject({ errorCode: '131026', retryable: false, reason: expect.stringMatching(/not on WhatsApp/) });
    await until(app, sim, async () => (await state(id)) === 'done');
    const retry = await admin.post(`/whatsapp/campaigns/${id}/retry-failed`).send({});
    expect(retry.body.data).toEqual({ retried: 1 });
    await until(app, sim, async () => (await sentTo('33612345601')).length === 2 && (await state(id)) === 'done');
    expect(await sentTo('33612345603')).toHaveLength(1);
  });

  test('131049 with retries left is rescheduled no sooner than 24 hours later', async () => {
    const res = await admin.post('/whatsapp/campaigns').send({ name: 'Eco', numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'you' }, { component: 'body', index: 1, from: 'constant', value: 'B-1' }], audience: { csv: 'phone\n+33612345699' }, schedule: { type: 'now' }, options: { ecosystemRetries: 2 } });
    const eco = res.body.data.id;
    await admin.post(`/whatsapp/campaigns/${eco}/launch`).send({});
    await until(app, sim, async () => (await sentTo('33612345699')).length === 1);
    await sim.client.fail((await sentTo('33612345699'))[0].id, 131049);
    await until(app, sim, async () => (await q('campaign-recipient').findOne({ where: { campaignId: eco } })).attempt === 1);
    const row = await q('campaign-recipient').findOne({ where: { campaignId: eco } });
    expect(row).toMatchObject({ state: 'pending', messageId: null });
    expect(new Date(row.notBefore).getTime()).toBeGreaterThanOrEqual(Date.now() + 23 * 3600_000);
    expect((await recipients(eco)).data[0].status).toBe('queued');
    expect((await admin.post(`/whatsapp/campaigns/${eco}/cancel`).send({})).body.data.state).toBe('cancelled');
  });
});
