import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, createStaff, login } from '../helpers/admin';

let app: TestApp;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  app = await startStrapi();
  admin = as(app.server, await login(app.server));
});
afterAll(async () => {
  await app?.stop();
});

/** `{ 'businessHours.days.mon.close': 'message' }` from a 400 answer. */
const fieldErrors = (body: any): Record<string, string> =>
  Object.fromEntries((body.error?.details?.errors ?? []).map((e: any) => [e.path.join('.'), e.message]));

const put = (body: unknown) => admin.put('/whatsapp/settings').send(body as object);

describe('business hours', () => {
  test('are none (always open) until set', async () => {
    const res = await admin.get('/whatsapp/settings');
    expect(res.status).toBe(200);
    expect(res.body.data.businessHours).toBeNull();
  });

  test('are saved per weekday with a time zone, closed days dropped, and read back', async () => {
    const hours = {
      timezone: 'Europe/Berlin',
      days: { mon: { open: '09:00', close: '17:30' }, tue: { open: '08:15', close: '12:00' }, sun: null },
    };
    const res = await put({ businessHours: hours });
    expect(res.status).toBe(200);
    const expected = {
      timezone: 'Europe/Berlin',
      days: { mon: { open: '09:00', close: '17:30' }, tue: { open: '08:15', close: '12:00' } },
    };
    expect(res.body.data.businessHours).toEqual(expected);
    expect((await admin.get('/whatsapp/settings')).body.data.businessHours).toEqual(expected);
  });

  test('saving another setting keeps them', async () => {
    const res = await put({ autoLead: { enabled: false } });
    expect(res.status).toBe(200);
    expect(res.body.data.businessHours.timezone).toBe('Europe/Berlin');
  });

  test('null turns them off again (always open)', async () => {
    const res = await put({ businessHours: null });
    expect(res.status).toBe(200);
    expect(res.body.data.businessHours).toBeNull();
  });

  test.each([
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus', days: { mon: { open: '09:00', close: '17:00' } } },
      'businessHours.timezone',
      /IANA time zone/,
    ],
    ['no time zone', { days: { mon: { open: '09:00', close: '17:00' } } }, 'businessHours.timezone', /required/],
    [
      'a time that is not HH:mm',
      { timezone: 'UTC', days: { mon: { open: '9am', close: '17:00' } } },
      'businessHours.days.mon.open',
      /HH:mm/,
    ],
    ['an hour past 23', { timezone: 'UTC', days: { fri: { open: '09:00', close: '24:30' } } }, 'businessHours.days.fri.close', /HH:mm/],
    [
      'closing before opening',
      { timezone: 'UTC', days: { wed: { open: '18:00', close: '09:00' } } },
      'businessHours.days.wed.close',
      /later than the opening time/,
    ],
    [
      'closing at the opening time',
      { timezone: 'UTC', days: { wed: { open: '09:00', close: '09:00' } } },
      'businessHours.days.wed.close',
      /later than the opening time/,
    ],
    ['a missing closing time', { timezone: 'UTC', days: { thu: { open: '09:00' } } }, 'businessHours.days.thu.close', /required/],
    ['an unknown day', { timezone: 'UTC', days: { monday: { open: '09:00', close: '17:00' } } }, 'businessHours.days', /unknown day/],
    ['no open day', { timezone: 'UTC', days: {} }, 'businessHours.days', /at least one day/],
  ])('%s is refused with a 400 naming the field', async (_name, businessHours, path, message) => {
    const res = await put({ businessHours });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    const errors = fieldErrors(res.body);
    expect(errors[path]).toMatch(message);
    expect((await admin.get('/whatsapp/settings')).body.data.businessHours).toBeNull();
  });
});

describe('the other settings the general page saves', () => {
  test('auto-lead and the default number persist', async () => {
    const number = (
      await admin
        .post('/whatsapp/numbers')
        .send({
          label: 'Default',
          provider: 'meta',
          phone: '+15550001111',
          phoneNumberId: '109876543210987',
          wabaId: '102030405060708',
          accessToken: 'settings-token-01',
          appSecret: 'settings-secret',
          verifyToken: 'v',
        })
    ).body.data;
    const res = await put({ autoLead: { enabled: true, status: 'contacted', source: 'wa-ads' }, defaultNumberId: number.id });
    expect(res.status).toBe(200);
    const saved = (await admin.get('/whatsapp/settings')).body.data;
    expect(saved.autoLead).toMatchObject({ enabled: true, uid: 'api::lead.lead', status: 'contacted', source: 'wa-ads' });
    expect(saved.defaultNumberId).toBe(number.id);
  });

  test('a default number that does not exist is refused', async () => {
    const res = await put({ defaultNumberId: 999999 });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toEqual({ defaultNumberId: 'no WhatsApp number with this id' });
  });

  test('a lead status outside the enumeration is refused beside the status', async () => {
    const res = await put({ autoLead: { enabled: true, status: 'hot' } });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)['autoLead.status']).toMatch(/must be one of new, contacted/);
  });

  test('a field the host type lacks is named beside that field', async () => {
    const res = await put({ identitySources: [{ kind: 'contact', uid: 'api::contact.contact', phoneField: 'mobile', nameField: 'name' }] });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toEqual({ 'identitySources.0.phoneField': 'api::contact.contact has no field mobile' });
    const ticket = await put({ ticket: { uid: 'api::ticket.ticket', subjectField: 'title' } });
    expect(fieldErrors(ticket.body)).toEqual({ 'ticket.subjectField': 'api::ticket.ticket has no field title' });
    const type = await put({ ticket: { uid: 'api::nothing.nothing' } });
    expect(fieldErrors(type.body)).toEqual({ 'ticket.uid': 'no content type api::nothing.nothing in this app' });
  });

  test('an assignee who is not an admin user is refused', async () => {
    const res = await put({ autoLead: { enabled: true, assigneeField: 'owner', assigneeId: 424242 } });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toEqual({ 'autoLead.assigneeId': 'no active admin user with this id' });
  });

  test('only settings.manage may read or change them', async () => {
    const { token } = await createStaff(app.strapi, app.server, 'Hours', ['plugin::whatsapp.inbox.read']);
    const staff = as(app.server, token);
    expect((await staff.get('/whatsapp/settings')).status).toBe(403);
    expect((await staff.put('/whatsapp/settings').send({ businessHours: null })).status).toBe(403);
  });
});
