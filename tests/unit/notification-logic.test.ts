import {
  conditionHolds,
  dayFilter,
  emptyParameter,
  eventsOf,
  failedRow,
  firingKey,
  firingRow,
  listensTo,
  matches,
  reminderDays,
  reminderRow,
  render,
  ruleData,
  ruleOut,
  text,
  zoneMidnight,
} from '../../server/notifications/logic';

const rule = (over: Record<string, unknown> = {}) => ({ id: 7, contentType: 'api::deal.deal', event: 'created', condition: null, parameters: [], recipient: { from: 'field', value: 'contact.phone' }, ...over });

describe('the events a Document Service call makes', () => {
  test('a create or update that publishes inside the call is also a publish, on draft & publish types only', () => {
    expect(eventsOf('create', { status: 'published' }, true)).toEqual(['created', 'published']);
    expect(eventsOf('update', { status: 'published' }, true)).toEqual(['updated', 'published']);
    expect(eventsOf('create', { status: 'published' }, false)).toEqual(['created']);
    expect(eventsOf('create', {}, true)).toEqual(['created']);
  });

  test('a clone creates a record, a publish and a delete are their own events, other actions are none', () => {
    expect(eventsOf('clone', {}, false)).toEqual(['created']);
    expect(eventsOf('publish', {}, true)).toEqual(['published']);
    expect(eventsOf('delete', {}, false)).toEqual(['deleted']);
    expect(eventsOf('findMany', {}, false)).toEqual([]);
  });

  test('a fieldChanged rule listens to creates and updates', () => {
    expect(listensTo(rule({ event: 'fieldChanged' }), ['created'])).toBe(true);
    expect(listensTo(rule({ event: 'fieldChanged' }), ['updated', 'published'])).toBe(true);
    expect(listensTo(rule({ event: 'fieldChanged' }), ['deleted'])).toBe(false);
    expect(listensTo(rule({ event: 'published' }), ['created', 'published'])).toBe(true);
    expect(listensTo(rule({ event: 'updated' }), ['created'])).toBe(false);
  });
});

describe('whether a rule matches', () => {
  const won = rule({ event: 'fieldChanged', field: 'stage', value: { equals: 'won' } });

  test('fieldChanged with a value: the field changed, to that value', () => {
    expect(matches(won, ['updated'], { stage: 'won' }, { stage: 'open' })).toBe(true);
    expect(matches(won, ['updated'], { stage: 'won' }, { stage: 'won' })).toBe(false);
    expect(matches(won, ['updated'], { stage: 'lost' }, { stage: 'open' })).toBe(false);
    // Without the record before, the change cannot be ruled out.
    expect(matches(won, ['updated'], { stage: 'won' }, null)).toBe(true);
  });

  test('a record created with the field set counts as the field changing; created empty does not', () => {
    const paid = rule({ event: 'fieldChanged', field: 'paidAt', value: null });
    expect(matches(paid, ['created'], { paidAt: '2026-06-01' }, null)).toBe(true);
    expect(matches(paid, ['created'], { paidAt: null }, null)).toBe(false);
    expect(matches(paid, ['updated'], { paidAt: '2026-06-02' }, { paidAt: '2026-06-01' })).toBe(true);
  });

  test('values compare as text, through relations, and a bare stored value still reads', () => {
    expect(matches(rule({ event: 'fieldChanged', field: 'amount', value: 5 }), ['updated'], { amount: '5' }, { amount: 4 })).toBe(true);
    expect(conditionHolds(rule({ condition: { 'contact.city': 'Lyon', vip: true } }), { contact: { city: 'Lyon' }, vip: true })).toBe(true);
    expect(conditionHolds(rule({ condition: { 'contact.city': 'Lyon' } }), { contact: null })).toBe(false);
    expect(conditionHolds(rule({ condition: null }), {})).toBe(true);
    expect(text(new Date('2026-06-13T22:00:00Z'))).toBe('2026-06-13');
    expect(text({ id: 1 })).toBe('');
  });

  test('a rule\'s "changed to" value is stored wrapped and read back bare', () => {
    expect(ruleData({ value: 'won' })).toEqual({ value: { equals: 'won' } });
    expect(ruleData({ value: null })).toEqual({ value: null });
    expect(ruleOut({ id: 1, value: { equals: 'won' } } as any).value).toBe('won');
    expect(ruleOut({ id: 1, value: 'won' } as any).value).toBe('won');
  });
});

describe('firing keys', () => {
  test('created and deleted happen once per record; other events once per write', () => {
    expect(firingKey(rule(), 'doc1', undefined, ['created'], '2026-06-01T10:00:00.000Z')).toBe('7:doc1:created:created');
    expect(firingKey(rule({ event: 'deleted' }), 'doc1', undefined, ['deleted'], null)).toBe('7:doc1:deleted:deleted');
    expect(firingKey(rule({ event: 'updated' }), 'doc1', undefined, ['updated'], '2026-06-01T10:00:00.000Z')).toBe('7:doc1:updated:updated:2026-06-01T10:00:00.000Z');
    // A fieldChanged rule fired by a create is the record's one creation.
    expect(firingKey(rule({ event: 'fieldChanged' }), 'doc1', undefined, ['created'], 'x')).toBe('7:doc1:fieldChanged:created');
  });

  test('each locale is a record of its own', () => {
    expect(firingKey(rule(), 'doc1', 'fr', ['created'], null)).toBe('7:doc1@fr:created:created');
  });

  test('the same write gives the same key, and a rule that threw keeps the key its firing would have had', () => {
    const updated = rule({ event: 'updated' });
    const record = { documentId: 'doc1', updatedAt: '2026-06-01T10:00:00.000Z' };
    const a = firingRow(updated, 'api::deal.deal', 'doc1', undefined, ['updated'], record);
    const b = firingRow(updated, 'api::deal.deal', 'doc1', undefined, ['updated'], { ...record });
    expect(a.key).toBe(b.key);
    expect(failedRow(updated, 'api::deal.deal', 'doc1', undefined, ['updated'], record, new Error('boom'))).toMatchObject({ key: a.key, state: 'failed', error: 'the rule failed: boom' });
  });

  test('a firing whose condition does not hold is recorded as not matched; a delete keeps a snapshot', () => {
    const gated = rule({ condition: { stage: 'won' } });
    expect(firingRow(gated, 'api::deal.deal', 'doc1', undefined, ['created'], { stage: 'open' })).toMatchObject({ state: 'not-matched', trace: { matched: false } });
    expect(firingRow(rule({ event: 'deleted' }), 'api::deal.deal', 'doc1', undefined, ['deleted'], { name: 'Ann' })).toMatchObject({ state: 'pending', trace: { snapshot: { name: 'Ann' } } });
  });

  test('a reminder is one firing per rule, record and date', () => {
    const due = rule({ event: 'dateOffset', contentType: 'api::invoice.invoice' });
    expect(reminderRow(due, { documentId: 'inv1' }, '2026-06-13')).toMatchObject({ key: '7:inv1:dateOffset:2026-06-13', state: 'pending', event: 'dateOffset', contentType: 'api::invoice.invoice' });
  });
});

describe('rendered parameters', () => {
  test('by component and position, from fields, constants and the record link', () => {
    const r = rule({
      parameters: [
        { component: 'body', index: 1, from: 'constant', value: 'Thanks' },
        { component: 'body', index: 0, from: 'field', value: 'contact.name' },
        { component: 'header', index: 0, from: 'field', value: 'number', name: 'ref' },
        { component: 'button', index: 0, from: 'link' },
      ],
    });
    expect(render(r, { number: 'INV-1', contact: { name: 'Ann' } }, 'https://crm/admin/x')).toEqual({
      header: [{ type: 'text', text: 'INV-1', name: 'ref' }],
      body: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'Thanks' }],
      buttons: [{ index: 0, subType: 'url', params: [{ type: 'text', text: 'https://crm/admin/x' }] }],
    });
  });

  test('the first parameter whose field is empty is named', () => {
    const r = rule({ parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }, { component: 'body', index: 1, from: 'field', value: 'contact.name' }] });
    expect(emptyParameter(r, { name: 'x', contact: { name: ' ' } })?.value).toBe('contact.name');
    expect(emptyParameter(r, { name: 'x', contact: { name: 'Ann' } })).toBeUndefined();
  });
});

describe('reminder days in the business time zone', () => {
  test('today minus the offset, and yesterday\'s target too', () => {
    expect(reminderDays(new Date('2026-06-10T09:00:00Z'), 'UTC', -3)).toEqual(['2026-06-13', '2026-06-12']);
    expect(reminderDays(new Date('2026-06-10T09:00:00Z'), 'UTC', 2)).toEqual(['2026-06-08', '2026-06-07']);
  });

  test('"today" is the calendar day where the business is', () => {
    // 23:30 UTC is already the next morning in Tokyo, and still the evening before in Los Angeles at 03:00 UTC.
    expect(reminderDays(new Date('2026-06-10T23:30:00Z'), 'Asia/Tokyo', 0)[0]).toBe('2026-06-11');
    expect(reminderDays(new Date('2026-06-10T03:00:00Z'), 'America/Los_Angeles', 0)[0]).toBe('2026-06-09');
    // New York's day turns at 05:00 UTC in winter time, and the DST night does not move it.
    expect(reminderDays(new Date('2026-03-08T04:59:59Z'), 'America/New_York', 0)[0]).toBe('2026-03-07');
    expect(reminderDays(new Date('2026-03-08T05:00:00Z'), 'America/New_York', 0)[0]).toBe('2026-03-08');
    expect(reminderDays(new Date('2026-03-09T03:59:59Z'), 'America/New_York', 0)[0]).toBe('2026-03-08');
    expect(reminderDays(new Date('2026-03-09T04:00:00Z'), 'America/New_York', 0)[0]).toBe('2026-03-09');
  });

  test('a date field is compared as the date itself', () => {
    expect(dayFilter('dueDate', 'date', '2026-06-13', 'Asia/Tokyo')).toEqual({ dueDate: '2026-06-13' });
  });

  test.each([
    ['an ordinary day', 'Europe/Berlin', '2026-06-13', '2026-06-12T22:00:00.000Z', '2026-06-13T22:00:00.000Z'],
    ['a half-hour zone', 'Asia/Kolkata', '2026-06-13', '2026-06-12T18:30:00.000Z', '2026-06-13T18:30:00.000Z'],
    ['spring forward (23 hours)', 'America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['fall back (25 hours)', 'America/New_York', '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    ['Berlin spring forward', 'Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    // Auckland's offset at local midnight differs from the one at UTC midnight on both change days.
    ['Auckland fall back', 'Pacific/Auckland', '2026-04-05', '2026-04-04T11:00:00.000Z', '2026-04-05T12:00:00.000Z'],
    ['Auckland spring forward', 'Pacific/Auckland', '2026-09-27', '2026-09-26T12:00:00.000Z', '2026-09-27T11:00:00.000Z'],
    // Santiago's clocks change at midnight: the day starts when the clock jumps, or after the repeated hour.
    ['Santiago spring forward at midnight', 'America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'],
    ['Santiago fall back at midnight', 'America/Santiago', '2026-04-05', '2026-04-05T04:00:00.000Z', '2026-04-06T04:00:00.000Z'],
  ])('a datetime field covers the whole local day: %s', (_name, zone, day, from, to) => {
    expect(dayFilter('meetingAt', 'datetime', day, zone)).toEqual({ meetingAt: { $gte: from, $lt: to } });
  });

  test('a day starts at the first instant whose local date is that day', () => {
    for (const [zone, day] of [['America/New_York', '2026-03-08'], ['Pacific/Auckland', '2026-04-05'], ['America/Santiago', '2026-09-06'], ['America/Havana', '2026-11-01']]) {
      const start = zoneMidnight(day, zone).getTime();
      const dateAt = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
      expect([dateAt(start - 1), dateAt(start)]).toEqual([expect.not.stringMatching(day), day]);
    }
  });
});
