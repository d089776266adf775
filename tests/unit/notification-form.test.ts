import type { HostContentType } from '../../contracts/host';
import type { WhatsAppTemplate } from '../../contracts/templates';
import { emptyValues, fieldErrorsOf, fieldPaths, renderTemplate, slotsOf, slotsOfMapping, toRequestBody, valuesFromPreset, valuesFromRule } from '../../admin/components/notifications/form';

const template = (over: Partial<WhatsAppTemplate>): WhatsAppTemplate => ({
  id: 1, numberId: 1, name: 'invoice_added', language: 'en_US', category: 'UTILITY', status: 'APPROVED', quality: null, rejectionReason: null,
  parameterFormat: 'positional', parameterSchema: { header: null, body: [], buttons: [] }, components: [], syncedAt: null, removedAt: null, ...over,
});

const types: HostContentType[] = [
  { uid: 'api::invoice.invoice', displayName: 'Invoice', singularName: 'invoice', draftAndPublish: false, fields: [
    { name: 'number', type: 'string' }, { name: 'dueDate', type: 'date' }, { name: 'notes', type: 'blocks' },
    { name: 'contact', type: 'relation', target: 'api::contact.contact', relation: 'manyToOne' },
    { name: 'payments', type: 'relation', target: 'api::payment.payment', relation: 'oneToMany' },
    { name: 'owner', type: 'relation', target: 'admin::user', relation: 'manyToOne' },
  ] },
  { uid: 'api::contact.contact', displayName: 'Contact', singularName: 'contact', draftAndPublish: true, fields: [{ name: 'name', type: 'string' }, { name: 'phone', type: 'string' }] },
  { uid: 'api::payment.payment', displayName: 'Payment', singularName: 'payment', draftAndPublish: false, fields: [{ name: 'amount', type: 'decimal' }] },
];

describe('rule editor form', () => {
  test('field paths: own fields, then to-one host relations one level deep; nothing unsendable', () => {
    expect(fieldPaths(types, 'api::invoice.invoice')).toEqual(['number', 'dueDate', 'contact.name', 'contact.phone']);
  });

  test('slots follow the template: header, body by position or name, url buttons', () => {
    const positional = template({ parameterSchema: { header: { format: 'text', params: ['1'] }, body: ['1', '2'], buttons: [{ index: 0, subType: 'url', params: ['1'] }, { index: 1, subType: 'quick_reply', params: [] }] } });
    expect(slotsOf(positional).map((s) => s.key)).toEqual(['header:0', 'body:0', 'body:1', 'button:0']);
    const named = template({ parameterFormat: 'named', parameterSchema: { header: null, body: ['customer', 'amount'], buttons: [] } });
    expect(slotsOf(named)[1]).toMatchObject({ key: 'body:1', name: 'amount' });
  });

  test('the request sends a parameter per slot and only what the event uses', () => {
    const values = { ...emptyValues(), name: ' Due ', contentType: 'api::invoice.invoice', event: 'dateOffset' as const, field: 'dueDate', offsetDays: -3, value: 'ignored', numberId: '4', template: 'invoice_due|en_US',
      condition: [{ path: 'contact.name', value: 'Ann' }, { path: '', value: 'x' }],
      mapping: { 'body:0': { from: 'field' as const, value: 'number' }, 'button:0': { from: 'link' as const, value: 'stale' } },
      recipient: 'contact.phone' };
    const slots = slotsOf(template({ parameterSchema: { header: null, body: ['1', '2'], buttons: [{ index: 0, subType: 'url', params: ['1'] }] } }));
    expect(toRequestBody(values, slots)).toEqual({
      name: 'Due', contentType: 'api::invoice.invoice', event: 'dateOffset', field: 'dueDate', value: null, offsetDays: -3, condition: { 'contact.name': 'Ann' }, numberId: 4,
      template: { name: 'invoice_due', language: 'en_US' },
      parameters: [{ component: 'body', index: 0, from: 'field', value: 'number' }, { component: 'body', index: 1, from: 'field', value: '' }, { component: 'button', index: 0, from: 'link' }],
      recipient: { from: 'field', value: 'contact.phone' }, active: true,
    });
  });

  test('a saved rule round-trips when its template is not in the approved list', () => {
    const rule = { id: 1, name: 'n', contentType: 'api::invoice.invoice', event: 'created' as const, numberId: 2, template: { name: 'greet', language: 'en' }, active: false, condition: null,
      parameters: [{ component: 'body' as const, index: 0, name: 'customer', from: 'field' as const, value: 'contact.name' }], recipient: { from: 'constant' as const, value: '+15550001111' } };
    const values = valuesFromRule(rule);
    const { id: _id, ...input } = rule;
    expect(toRequestBody(values, slotsOfMapping(values.mapping))).toEqual({ ...input, field: null, value: null, offsetDays: null });
  });

  test('an edit clears what the event no longer uses: an emptied "Changed to", another event', () => {
    const rule = { id: 3, name: 'Won', contentType: 'api::lead.lead', event: 'fieldChanged' as const, field: 'status', value: 'won', numberId: 2, template: { name: 'greet', language: 'en' }, active: true, condition: null,
      parameters: [], recipient: { from: 'field' as const, value: 'phone' } };
    const values = valuesFromRule(rule);
    expect(toRequestBody({ ...values, value: '' }, [])).toMatchObject({ event: 'fieldChanged', field: 'status', value: null });
    expect(toRequestBody({ ...values, event: 'created' }, [])).toMatchObject({ event: 'created', field: null, value: null, offsetDays: null });
    // A dateOffset whose offset was emptied says so (null), rather than keeping the saved one.
    expect(toRequestBody({ ...values, event: 'dateOffset', field: 'dueDate', offsetDays: undefined }, [])).toMatchObject({ field: 'dueDate', value: null, offsetDays: null });
  });

  test('a preset’s "changed to" value reaches the editor and the request', () => {
    const values = valuesFromPreset({ name: 'Payment recorded', contentType: 'api::payment.payment', event: 'fieldChanged', field: 'paid', value: true, parameters: [], recipient: { from: 'field', value: 'phone' } }, '1');
    expect(values).toMatchObject({ field: 'paid', value: 'true' });
    expect(toRequestBody(values, [])).toMatchObject({ event: 'fieldChanged', field: 'paid', value: 'true' });
  });

  test('the customer’s text: positional and named placeholders filled from the rendered parameters', () => {
    const tpl = template({ components: [{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' }, { type: 'BODY', text: 'Invoice {{1}} of {{2}} is due.' }, { type: 'FOOTER', text: 'ACME' }] });
    expect(renderTemplate(tpl, { header: [{ type: 'text', text: 'Ann' }], body: [{ type: 'text', text: 'INV-1' }, { type: 'text', text: '$5' }] })).toBe('Hi Ann\n\nInvoice INV-1 of $5 is due.\n\nACME');
    const named = template({ components: [{ type: 'BODY', text: 'Thanks {{customer}}, {{missing}}' }] });
    expect(renderTemplate(named, { body: [{ type: 'text', name: 'customer', text: 'Bo' }] })).toBe('Thanks Bo, {{missing}}');
  });

  test('server validation errors land on their fields', () => {
    expect(fieldErrorsOf({ name: 'ValidationError', message: '2 errors', details: { errors: [{ path: ['template', 'name'], message: 'template.name is required' }, { path: ['recipient'], message: 'no phone' }] } })).toEqual({ template: 'template.name is required', recipient: 'no phone' });
    expect(fieldErrorsOf({ name: 'ValidationError', message: 'bad', details: {} })).toEqual({ form: 'bad' });
    const two = [{ path: ['parameters'], message: 'body {{1}}: choose the field' }, { path: ['parameters'], message: 'body {{2}}: enter the text' }];
    expect(fieldErrorsOf({ name: 'ValidationError', message: '2 errors', details: { errors: two } })).toEqual({ parameters: 'body {{1}}: choose the field; body {{2}}: enter the text' });
    const name = [{ path: ['name'], message: 'name must be at least 1 characters' }, { path: ['name'], message: 'name is a required field' }];
    expect(fieldErrorsOf({ name: 'ValidationError', message: '2 errors', details: { errors: name } })).toEqual({ name: 'name must be at least 1 characters' });
  });
});
