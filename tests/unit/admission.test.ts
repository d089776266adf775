import { admit, businessInitiated, consentReason, needsOptIn, windowOpen, SEND_SOURCES, type AdmissionFacts, type SendSource } from '../../server/outbox/admission';

const NOW = new Date('2026-06-01T12:00:00Z');
const OPEN = new Date('2026-06-01T20:00:00Z');
const CLOSED = new Date('2026-06-01T08:00:00Z');
const approved = { status: 'APPROVED', parameterSchema: { body: ['1'], buttons: [] } as any, parameterFormat: 'positional' as const };

const facts = (over: Partial<AdmissionFacts> = {}): AdmissionFacts => ({
  source: 'inbox',
  target: 'conversation',
  kind: 'free',
  number: { removed: false, active: true, freeForm: true, provider: 'meta' },
  windowExpiresAt: OPEN,
  now: NOW,
  unreachable: false,
  optedOut: null,
  ...over,
});
const template = (stored: any = approved, params: any = { body: [{ type: 'text', text: 'Ada' }] }) => ({ kind: 'template' as const, template: { name: 'hello', language: 'en_US', stored, params } });

describe('who starts the exchange', () => {
  test('staff in the inbox answer a person; notifications, campaigns and the auto-reply are the business’s own', () => {
    expect(businessInitiated('inbox', false)).toBe(false);
    for (const s of ['notification', 'campaign', 'auto-reply'] as SendSource[]) {
      expect(businessInitiated(s, true)).toBe(true);
      expect(businessInitiated(s, false)).toBe(true);
    }
  });
  test('a bot or the AI answers inside the customer’s own window, and starts outside it', () => {
    for (const s of ['bot', 'ai'] as SendSource[]) {
      expect(businessInitiated(s, true)).toBe(false);
      expect(businessInitiated(s, false)).toBe(true);
    }
  });
});

describe('the 24-hour window', () => {
  test('is open until the moment it expires, and closed without one, in every form the databases return', () => {
    const now = new Date('2026-12-04T12:00:00.000Z');
    expect(windowOpen(new Date('2026-12-04T12:00:00.001Z'), now)).toBe(true);
    expect(windowOpen('2026-12-05T11:59:59.000Z', now)).toBe(true);
    expect(windowOpen(new Date(now), now)).toBe(false);
    expect(windowOpen('2026-12-03T12:00:00.000Z', now)).toBe(false);
    expect(windowOpen(null, now)).toBe(false);
    expect(windowOpen(undefined, now)).toBe(false);
  });
});

describe('admission', () => {
  test('an ordinary reply inside the window is admitted', () => {
    expect(admit(facts())).toBeNull();
  });

  test('a removed or switched-off number refuses every source, named by how the caller targeted it', () => {
    for (const source of SEND_SOURCES) {
      expect(admit(facts({ source, number: { removed: true, active: true, freeForm: true, provider: 'meta' } }))).toMatchObject({ reason: 'number-removed', path: ['conversation'] });
      expect(admit(facts({ source, number: { removed: false, active: false, freeForm: true, provider: 'meta' } }))).toMatchObject({ reason: 'number-off', path: ['conversation'] });
      expect(admit(facts({ source, target: 'number', number: { removed: false, active: false, freeForm: true, provider: 'meta' } }))).toMatchObject({ reason: 'number-off', path: ['numberId'], title: 'numberId: the number is switched off' });
    }
  });

  test('free text needs the customer’s window open, and a provider that sends free text', () => {
    expect(admit(facts({ windowExpiresAt: CLOSED }))).toMatchObject({ reason: 'window-closed', path: ['type'], message: expect.stringContaining('closed at 2026-06-01T08:00:00.000Z') });
    expect(admit(facts({ windowExpiresAt: null }))).toMatchObject({ reason: 'window-closed', message: expect.stringContaining('have not written yet') });
    expect(admit(facts({ number: { removed: false, active: true, freeForm: false, provider: 'aisensy' } }))).toMatchObject({ reason: 'free-text-unsupported', message: 'aisensy numbers can send templates only' });
  });

  test('a template goes outside the window, if the number has it, approved, with fitting parameters', () => {
    expect(admit(facts({ windowExpiresAt: CLOSED, ...template() }))).toBeNull();
    expect(admit(facts({ number: { removed: false, active: true, freeForm: false, provider: 'aisensy' }, ...template() }))).toBeNull();
    expect(admit(facts(template(null)))).toMatchObject({ reason: 'template-missing', path: ['template'] });
    expect(admit(facts(template({ ...approved, status: 'PAUSED' })))).toMatchObject({ reason: 'template-not-approved', message: 'template hello is PAUSED, only approved templates can be sent' });
    const wrong = admit(facts(template(approved, { body: [] })));
    expect(wrong).toMatchObject({ reason: 'template-params', path: ['template', 'params', 'body'], issues: [{ path: ['template', 'params', 'body'], message: expect.stringMatching(/takes 1 parameter/) }] });
  });

  test('an unreachable customer is refused for every source', () => {
    for (const source of SEND_SOURCES) expect(admit(facts({ source, unreachable: true, ...template() }))).toMatchObject({ reason: 'unreachable' });
  });

  test('an opted-out customer: refused for what the business starts, allowed for a reply to them', () => {
    const optedOut = 'api::contact.contact abc has whatsappOptOut';
    for (const source of ['notification', 'campaign', 'auto-reply'] as SendSource[]) {
      expect(admit(facts({ source, optedOut }))).toMatchObject({ reason: 'opted-out', message: `the customer opted out (${optedOut})` });
    }
    expect(admit(facts({ source: 'inbox', optedOut }))).toBeNull();
    expect(admit(facts({ source: 'inbox', optedOut, windowExpiresAt: CLOSED, ...template() }))).toBeNull();
    expect(admit(facts({ source: 'bot', optedOut }))).toBeNull();
    expect(admit(facts({ source: 'bot', optedOut, windowExpiresAt: CLOSED, ...template() }))).toMatchObject({ reason: 'opted-out' });
  });

  test('the opt-out is told before the content, so a refused notification says why the customer got nothing', () => {
    expect(admit(facts({ source: 'notification', optedOut: 'x', ...template({ ...approved, status: 'PAUSED' }) }))).toMatchObject({ reason: 'opted-out' });
  });

  test('consent and a daily cap, where recorded, hold back only what the business starts', () => {
    expect(admit(facts({ source: 'campaign', consent: false }))).toMatchObject({ reason: 'no-consent' });
    expect(admit(facts({ source: 'campaign', consent: undefined }))).toBeNull();
    expect(admit(facts({ source: 'inbox', consent: false }))).toBeNull();
    expect(admit(facts({ source: 'campaign', daily: { limit: 2, used: 2 } }))).toMatchObject({ reason: 'daily-limit' });
    expect(admit(facts({ source: 'campaign', daily: { limit: 2, used: 1 } }))).toBeNull();
  });
});

describe('marketing consent', () => {
  test('an explicit opt-in is needed only with requireMarketingOptIn, for campaigns and CRM events sending MARKETING templates', () => {
    expect(needsOptIn('campaign', 'MARKETING', true)).toBe(true);
    expect(needsOptIn('notification', 'marketing', true)).toBe(true);
    expect(needsOptIn('campaign', 'MARKETING', false)).toBe(false);
    expect(needsOptIn('campaign', 'UTILITY', true)).toBe(false);
    expect(needsOptIn('inbox', 'MARKETING', true)).toBe(false);
  });
  test('a consent confirmation answers the customer: not business-initiated while their window is open', () => {
    expect(businessInitiated('consent', true)).toBe(false);
    expect(businessInitiated('consent', false)).toBe(true);
  });
  test('an opted-out record says why; an opted-in one refuses nothing', () => {
    expect(consentReason({ status: 'opted-out', source: 'keyword', at: '2026-01-02T10:00:00Z', detail: 'the customer wrote "STOP"' })).toBe('keyword on 2026-01-02: the customer wrote "STOP"');
    expect(consentReason({ status: 'opted-in', source: 'staff', at: '2026-01-02T10:00:00Z' })).toBeNull();
    expect(consentReason(null)).toBeNull();
  });
});
