import fs from 'node:fs';
import path from 'node:path';
import type { HostContentType } from '../../contracts/host';
import { NOTIFICATION_PRESETS, fromPreset, hasPath, type PresetDraft } from '../../contracts/notification-presets';

const ROOT = path.resolve(__dirname, '../..');

/** The example CRM's types as GET /whatsapp/host/content-types describes them. */
const exampleTypes = (): HostContentType[] => {
  const api = path.join(ROOT, 'example', 'src', 'api');
  return fs.readdirSync(api).map((name) => {
    const schema = JSON.parse(fs.readFileSync(path.join(api, name, 'content-types', name, 'schema.json'), 'utf8'));
    return {
      uid: `api::${name}.${name}`,
      displayName: schema.info.displayName,
      singularName: schema.info.singularName,
      draftAndPublish: Boolean(schema.options?.draftAndPublish),
      fields: Object.entries(schema.attributes as Record<string, any>).map(([field, a]) => ({ name: field, type: a.type, ...(a.target ? { target: a.target, relation: a.relation } : {}) })),
    };
  });
};

/** The README row for a preset's rule on the example CRM. */
const readmeRow = (label: string, draft: PresetDraft, template: string) => {
  const event = draft.field ? `\`${draft.event}\` \`${draft.field}\`` : `\`${draft.event}\``;
  const params = (draft.parameters ?? []).map((p) => `${p.component} ${p.index} ← \`${p.value}\``).join(', ');
  return `| ${label.toLowerCase()} | \`${draft.contentType}\` / ${event} | ${params} | \`${draft.recipient.value}\` | ${template} |`;
};

describe('notification presets', () => {
  const types = exampleTypes();

  test('each preset binds every parameter and a recipient on the example CRM', () => {
    for (const preset of NOTIFICATION_PRESETS) {
      const draft = fromPreset(preset, types)!;
      expect(draft).not.toBeNull();
      expect(draft.contentType).toBe(preset.contentType);
      expect(draft.event).toBe(preset.event);
      expect(draft.parameters).toHaveLength(preset.body.length);
      expect(hasPath(types, draft.contentType, draft.recipient.value)).toBe(true);
      expect(draft.recipient.value).toMatch(/phone$/);
    }
  });

  test('the README’s table is the presets file, row for row', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const preset of NOTIFICATION_PRESETS) {
      expect(readme).toContain(readmeRow(preset.label, fromPreset(preset, types)!, preset.exampleTemplate));
    }
  });

  test('a host with other names gets what it has, and nothing it lacks', () => {
    const host: HostContentType[] = [
      { uid: 'api::prospect.prospect', displayName: 'Prospect', singularName: 'prospect', draftAndPublish: false, fields: [{ name: 'fullName', type: 'string' }, { name: 'mobile', type: 'string' }] },
      { uid: 'api::payment.payment', displayName: 'Payment', singularName: 'payment', draftAndPublish: false, fields: [{ name: 'total', type: 'decimal' }] },
    ];
    const lead = fromPreset(NOTIFICATION_PRESETS.find((p) => p.id === 'lead-created')!, host)!;
    expect(lead).toMatchObject({ contentType: 'api::prospect.prospect', event: 'created', parameters: [{ component: 'body', index: 0, from: 'field', value: 'fullName' }], recipient: { from: 'field', value: 'mobile' } });
    // No paid-at field: "any update" instead of a field change it cannot watch; no phone: left for the admin.
    const payment = fromPreset(NOTIFICATION_PRESETS.find((p) => p.id === 'payment-recorded')!, host)!;
    expect(payment).toMatchObject({ event: 'updated', parameters: [{ value: 'total' }], recipient: { value: '' } });
    expect(fromPreset(NOTIFICATION_PRESETS.find((p) => p.id === 'ticket-created')!, host)).toBeNull();
  });

  test('payment recorded on a host without paidAt watches paid turning true, or status turning paid', () => {
    const payment = (fields: HostContentType['fields']): HostContentType[] => [{ uid: 'api::payment.payment', displayName: 'Payment', singularName: 'payment', draftAndPublish: false, fields: [{ name: 'amount', type: 'decimal' }, ...fields] }];
    const preset = NOTIFICATION_PRESETS.find((p) => p.id === 'payment-recorded')!;
    // Any change of these would also tell an unpaid payment "we received your payment".
    expect(fromPreset(preset, payment([{ name: 'paid', type: 'boolean' }]))).toMatchObject({ event: 'fieldChanged', field: 'paid', value: true });
    expect(fromPreset(preset, payment([{ name: 'status', type: 'enumeration' }]))).toMatchObject({ event: 'fieldChanged', field: 'status', value: 'paid' });
    // A paid-at date is set once, when paid: any change of it is the payment.
    expect(fromPreset(preset, types)).not.toHaveProperty('value');
  });

  test('paths follow relations to the related type and stop at fields', () => {
    expect(hasPath(types, 'api::payment.payment', 'invoice.contact.phone')).toBe(true);
    expect(hasPath(types, 'api::payment.payment', 'invoice.contact')).toBe(false);
    expect(hasPath(types, 'api::invoice.invoice', 'number.phone')).toBe(false);
    expect(hasPath(types, 'api::invoice.invoice', 'contact.mobile')).toBe(false);
  });
});
