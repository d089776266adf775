import type { Campaign } from '../../contracts/campaigns';
import type { HostContentType } from '../../contracts/host';
import { campaignErrorsOf, csvColumns, csvRows, emptyCampaignValues, filtersOf, leftoverErrors, rowsOf, toCampaignBody, valuesFromCampaign, wallTime } from '../../admin/components/campaigns/form';
import { progressOf } from '../../admin/components/campaigns/messages';

const lead: HostContentType = {
  uid: 'api::lead.lead',
  displayName: 'Lead',
  singularName: 'lead',
  draftAndPublish: false,
  fields: [{ name: 'name', type: 'string' }, { name: 'phone', type: 'string' }, { name: 'status', type: 'enumeration', enum: ['new', 'won'] }, { name: 'marketingConsent', type: 'boolean' }],
};

test('filter rows become the Content Manager filter shape and come back as rows', () => {
  const rows = [
    { field: 'status', operator: '$in' as const, value: 'new, won' },
    { field: 'marketingConsent', operator: '$eq' as const, value: 'true' },
    { field: 'phone', operator: '$notNull' as const, value: '' },
    { field: '', operator: '$eq' as const, value: 'dropped: no field' },
  ];
  const filters = filtersOf(rows, '$or', lead);
  expect(filters).toEqual({ $or: [{ status: { $in: ['new', 'won'] } }, { marketingConsent: { $eq: true } }, { phone: { $notNull: true } }] });
  expect(rowsOf(filters)).toEqual({ match: '$or', rows: [{ field: 'status', operator: '$in', value: 'new, won' }, { field: 'marketingConsent', operator: '$eq', value: 'true' }, { field: 'phone', operator: '$notNull', value: '' }] });
  expect(filtersOf([], '$and', lead)).toBeNull();
  expect(filtersOf([{ field: 'company.name', operator: '$contains', value: 'Acme' }], '$and', lead)).toEqual({ $and: [{ company: { name: { $contains: 'Acme' } } }] });
  expect(rowsOf({ $and: [{ company: { name: { $contains: 'Acme' } } }] }).rows).toEqual([{ field: 'company.name', operator: '$contains', value: 'Acme' }]);
});

test('the body sends the CSV only when one was read or it was removed, and only what the schedule uses', () => {
  const slots = [{ key: 'body:0', component: 'body' as const, index: 0, label: '1' }];
  const values = { ...emptyCampaignValues('3'), name: ' Offer ', template: 'offer|en_US', contentType: 'api::lead.lead', phoneField: 'phone', bindings: { 'body:0': { from: 'column' as const, value: 'first', fallback: ' ' } } };
  const body = toCampaignBody(values, slots, lead);
  expect(body).toMatchObject({ name: 'Offer', numberId: 3, template: { name: 'offer', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'column', value: 'first', fallback: null }] });
  expect(body.audience).toEqual({ contentType: 'api::lead.lead', phoneField: 'phone', consentField: null, filters: null, csv: null });
  expect(body.schedule).toMatchObject({ type: 'now', at: null, frequency: null, cron: null, until: null, quietHours: null });
  // A saved CSV stays unless another is read.
  expect('csv' in toCampaignBody({ ...values, useCsv: true, csvSaved: { rows: 2, columns: ['phone'] } }, slots, lead).audience).toBe(false);
  expect(toCampaignBody({ ...values, useCsv: true, csv: 'phone\n+1555' }, slots, lead).audience.csv).toBe('phone\n+1555');
  const recurring = toCampaignBody({ ...values, scheduleType: 'recurring', frequency: 'cron', cron: ' 0 9 * * 1 ', at: '2026-12-24T09:00', until: '2027-01-31T00:00' }, slots, lead).schedule;
  expect(recurring).toMatchObject({ type: 'recurring', frequency: null, cron: '0 9 * * 1', at: '2026-12-24T09:00', until: '2027-01-31T00:00' });
  // Quiet hours in each recipient's own zone go out as perRecipient, and come back as the checkbox.
  const quiet = toCampaignBody({ ...values, quietStart: '21:00', quietEnd: '08:00', quietPerRecipient: true }, slots, lead).schedule;
  expect(quiet.quietHours).toEqual({ start: '21:00', end: '08:00', perRecipient: true });
  expect(toCampaignBody({ ...values, quietStart: '21:00', quietEnd: '08:00' }, slots, lead).schedule.quietHours).toEqual({ start: '21:00', end: '08:00' });
});

test('a saved campaign reads back into the form, its instants on the wall clock of its time zone', () => {
  expect(wallTime('2026-12-24T08:00:00.000Z', 'Europe/Paris')).toBe('2026-12-24T09:00');
  expect(wallTime('2026-12-24T09:00', 'Europe/Paris')).toBe('2026-12-24T09:00');
  const campaign = {
    id: 1, documentId: 'x', name: 'Offer', numberId: 3, template: { name: 'offer', language: 'en_US' },
    parameters: [{ component: 'body', index: 0, from: 'field', value: 'name', fallback: 'friend' }],
    audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { $and: [{ status: { $eq: 'new' } }] }, csv: { rows: 2, columns: ['phone', 'first'] }, phoneColumn: 'phone' },
    schedule: { type: 'once', at: '2026-12-24T08:00:00.000Z', timeZone: 'Europe/Paris' },
    options: { contactedWithinHours: null, spreadOverDays: false, ecosystemRetries: 2, autoPause: null, replyWindowHours: 48 },
  } as unknown as Campaign;
  expect(valuesFromCampaign(campaign)).toMatchObject({
    template: 'offer|en_US', bindings: { 'body:0': { from: 'field', value: 'name', fallback: 'friend' } }, filters: [{ field: 'status', operator: '$eq', value: 'new' }],
    useRecords: true, useCsv: true, csv: null, csvSaved: { rows: 2, columns: ['phone', 'first'] }, at: '2026-12-24T09:00', timeZone: 'Europe/Paris', autoPause: false, ecosystemRetries: '2', replyWindowHours: '48',
  });
});

test('server errors by field path, and the ones no field shows', () => {
  const errors = campaignErrorsOf({ name: 'ValidationError', message: 'x', details: { errors: [{ path: ['parameters', 0, 'value'], message: 'choose the field' }, { path: ['audience'], message: 'choose a content type or upload a CSV' }, { path: ['audience', 'phoneField'], message: 'no such field' }] } });
  expect(errors).toEqual({ 'parameters.0.value': 'choose the field', audience: 'choose a content type or upload a CSV', 'audience.phoneField': 'no such field' });
  expect(leftoverErrors(errors, 'audience', ['audience.phoneField'])).toEqual(['choose a content type or upload a CSV']);
  expect(campaignErrorsOf({ name: 'ApplicationError', message: 'not allowed' })).toEqual({ form: 'not allowed' });
});

test('CSV header and rows; progress counts everything no longer queued', () => {
  expect(csvColumns('\uFEFF"phone","first name";city\r\n+1555,Ann,Rome\n\n')).toEqual(['phone', 'first name', 'city']);
  expect(csvRows('phone\n+1\n+2\n\n')).toBe(2);
  expect(progressOf({ total: 10, queued: 4, sent: 1, delivered: 2, read: 1, replied: 0, failed: 1, skipped: 1 })).toEqual({ done: 6, total: 10, percent: 60 });
  expect(progressOf({ total: 0, queued: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0 }).percent).toBe(0);
});
