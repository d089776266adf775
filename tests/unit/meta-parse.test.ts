import { meta } from '../../server/providers/meta';
import { MalformedPayloadError, type CanonicalEvent } from '../../server/providers/types';
import { fixture, fixtureNames } from '../helpers/fixtures';

const count = (events: CanonicalEvent[]) =>
  events.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.kind]: (acc[e.kind] ?? 0) + 1 }), {});

/** What each webhook fixture carries, as tests/fixtures/README.md describes it. */
const EXPECTED: Record<string, { counts: Record<string, number>; type?: string }> = {
  'inbound-text.json': { counts: { message: 1 }, type: 'text' },
  'inbound-image-with-caption.json': { counts: { message: 1 }, type: 'image' },
  'inbound-audio-voice.json': { counts: { message: 1 }, type: 'audio' },
  'inbound-document.json': { counts: { message: 1 }, type: 'document' },
  'inbound-location.json': { counts: { message: 1 }, type: 'location' },
  'inbound-contacts.json': { counts: { message: 1 }, type: 'contacts' },
  'inbound-interactive-button-reply.json': { counts: { message: 1 }, type: 'interactive' },
  'inbound-interactive-list-reply.json': { counts: { message: 1 }, type: 'interactive' },
  'inbound-template-quick-reply-button.json': { counts: { message: 1 }, type: 'button' },
  'inbound-reaction.json': { counts: { message: 1 }, type: 'reaction' },
  'inbound-reply-with-context.json': { counts: { message: 1 }, type: 'text' },
  'inbound-click-to-whatsapp-referral.json': { counts: { message: 1 } },
  'inbound-unsupported-with-errors.json': { counts: { message: 1 }, type: 'unsupported' },
  'status-sent.json': { counts: { status: 1 } },
  'status-delivered.json': { counts: { status: 1 } },
  'status-read.json': { counts: { status: 1 } },
  'status-failed-131047.json': { counts: { status: 1 } },
  'status-failed-131026.json': { counts: { status: 1 } },
  'batch-two-entries-2-messages-3-statuses.json': { counts: { message: 2, status: 3 } },
  'webhook-value-errors.json': { counts: { error: 1 } },
  'template-status-update-approved.json': { counts: { template: 1 } },
  'template-status-update-rejected.json': { counts: { template: 1 } },
  'phone-number-quality-update.json': { counts: { number: 1 } },
  'user-preferences-stop.json': { counts: { consent: 1 } },
};

describe('Meta webhook fixtures parse to exactly the events they hold', () => {
  const webhooks = fixtureNames('meta').filter((name) => fixture(`meta/${name}`).object === 'whatsapp_business_account');

  test('every webhook fixture is covered by this table', () => {
    expect(webhooks.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s', (name, { counts, type }) => {
    const events = meta.parse(fixture(`meta/${name}`));
    expect(count(events)).toEqual(counts);
    if (type) expect(events[0]).toMatchObject({ kind: 'message', type });
    const keys = events.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('Meta parse details', () => {
  test('a batch yields every message and status with its own business number', () => {
    const events = meta.parse(fixture('meta/batch-two-entries-2-messages-3-statuses.json'));
    const messages = events.filter((e) => e.kind === 'message') as any[];
    expect(messages.map((m) => [m.from.waId, m.from.name, m.businessId])).toEqual([
      ['15550002222', 'Alice Example', '109876543210987'],
      ['15550003333', 'Bob Example', '109876543210987'],
    ]);
    const statuses = events.filter((e) => e.kind === 'status') as any[];
    expect(statuses.map((s) => s.status)).toEqual(['read', 'sent', 'delivered']);
    expect(new Set(statuses.map((s) => s.providerMessageId)).size).toBe(1);
    expect(statuses.every((s) => s.businessId === '209876543210988')).toBe(true);
  });

  test('text, sender identity and time come through', () => {
    const [m] = meta.parse(fixture('meta/inbound-text.json')) as any[];
    expect(m).toMatchObject({
      providerMessageId: expect.stringMatching(/^wamid\./),
      from: { waId: '15550002222', userId: 'US.1000000000000000001', name: 'Alice Example' },
      text: 'Hello, is the invoice ready?',
      businessId: '109876543210987',
    });
    expect(m.timestamp.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  test('media, location, replies, reactions and buttons keep what an inbox needs', () => {
    const image = meta.parse(fixture('meta/inbound-image-with-caption.json'))[0] as any;
    expect(image.media.id).toBeTruthy();
    expect(image.media.mimeType).toMatch(/^image\//);
    expect(image.text).toBeTruthy();
    const voice = meta.parse(fixture('meta/inbound-audio-voice.json'))[0] as any;
    expect(voice.media.voice).toBe(true);
    const doc = meta.parse(fixture('meta/inbound-document.json'))[0] as any;
    expect(doc.media.filename).toMatch(/\.pdf$/);
    const location = meta.parse(fixture('meta/inbound-location.json'))[0] as any;
    expect(typeof location.location.latitude).toBe('number');
    const reply = meta.parse(fixture('meta/inbound-reply-with-context.json'))[0] as any;
    expect(reply.context.providerMessageId).toMatch(/^wamid\./);
    const reaction = meta.parse(fixture('meta/inbound-reaction.json'))[0] as any;
    expect(reaction.reaction.providerMessageId).toMatch(/^wamid\./);
    expect(reaction.reaction.emoji).toBe('👍');
    const button = meta.parse(fixture('meta/inbound-interactive-button-reply.json'))[0] as any;
    expect(button.interactive).toMatchObject({ kind: 'button_reply', id: expect.any(String), title: expect.any(String) });
    const quick = meta.parse(fixture('meta/inbound-template-quick-reply-button.json'))[0] as any;
    expect(quick.interactive.payload).toBeTruthy();
    const ad = meta.parse(fixture('meta/inbound-click-to-whatsapp-referral.json'))[0] as any;
    expect(ad.referral.ctwa_clid).toBeTruthy();
    const unsupported = meta.parse(fixture('meta/inbound-unsupported-with-errors.json'))[0] as any;
    expect(unsupported.errors[0].code).toBe('131051');
  });

  test('a failed status keeps the error code and text', () => {
    const [s] = meta.parse(fixture('meta/status-failed-131047.json')) as any[];
    expect(s).toMatchObject({ status: 'failed', errors: [{ code: '131047' }] });
    expect(meta.classify({ response: { status: 400, data: { error: { code: 131047, message: s.errors[0].message } } } }).class).toBe('window-closed');
  });

  test('template updates carry status, reason and rejection detail', () => {
    const [rejected] = meta.parse(fixture('meta/template-status-update-rejected.json')) as any[];
    expect(rejected).toMatchObject({ kind: 'template', change: 'status', status: 'REJECTED', reason: 'INVALID_FORMAT', name: 'spring_promo', language: 'en_US' });
    expect(rejected.rejection.reason).toMatch(/parameters/);
  });

  test('an unknown message type becomes an unsupported message, never a crash', () => {
    const body = fixture('meta/inbound-text.json');
    body.entry[0].changes[0].value.messages[0].type = 'hologram';
    body.entry[0].changes[0].value.messages[0].hologram = { id: 'x' };
    const [m] = meta.parse(body) as any[];
    expect(m).toMatchObject({ kind: 'message', type: 'unsupported' });
  });

  test('an unknown webhook field is kept as an other event', () => {
    const events = meta.parse({ object: 'whatsapp_business_account', entry: [{ id: '1', time: 1, changes: [{ field: 'security', value: { event: 'PIN_CHANGED' } }] }] });
    expect(events).toMatchObject([{ kind: 'other', field: 'security' }]);
  });

  test.each([
    ['not an object', 'hello'],
    ['wrong object', { object: 'page', entry: [] }],
    ['entry not a list', { object: 'whatsapp_business_account', entry: {} }],
    ['message without id', { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata: {}, messages: [{ from: '1', type: 'text' }] } }] }] }],
  ])('%s is a malformed payload', (_name, body) => {
    expect(() => meta.parse(body)).toThrow(MalformedPayloadError);
  });
});

describe('user_preferences', () => {
  test('a marketing stop is a consent event for the customer; other categories are not consent', () => {
    const [event] = meta.parse(fixture('meta/user-preferences-stop.json'));
    expect(event).toMatchObject({ kind: 'consent', status: 'opted-out', source: 'meta-preference', customer: { waId: '15550002222' }, businessId: '109876543210987', detail: 'User requested to stop marketing messages' });
    const body = fixture('meta/user-preferences-stop.json') as any;
    body.entry[0].changes[0].value.user_preferences[0].category = 'offers';
    expect(meta.parse(body).filter((e) => e.kind === 'consent')).toEqual([]);
    body.entry[0].changes[0].value.user_preferences[0] = { ...body.entry[0].changes[0].value.user_preferences[0], category: 'marketing_messages', value: 'resume' };
    expect(meta.parse(body)[0]).toMatchObject({ kind: 'consent', status: 'opted-in' });
  });
});
