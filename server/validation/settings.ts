import { yup, validateYupSchema } from '@strapi/utils';
import { KIND_PATTERN, WEEKDAYS } from '../../contracts/settings';

const field = yup.string().matches(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an attribute name').max(64);
// Only the app's own types: a plugin's (users, admin roles…) must never be written from the inbox.
const uid = yup.string().matches(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, 'must be a collection type of this app, such as api::lead.lead');

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const openingHours = yup
  .object({
    open: yup.string().required('${path} is required').matches(TIME, '${path} must be a time such as 09:00 (24-hour HH:mm)'),
    close: yup
      .string()
      .required('${path} is required')
      .matches(TIME, '${path} must be a time such as 17:30 (24-hour HH:mm)')
      .test('after-open', '${path} must be later than the opening time', function (close) {
        const { open } = this.parent as { open?: string };
        return !close || !open || !TIME.test(open) || !TIME.test(close) || minutes(close) > minutes(open);
      }),
  })
  .noUnknown()
  .nullable()
  .default(undefined);

/** `null` is always open; otherwise a time zone and the open days (also a number's own hours, server/bots/validate.ts). */
export const businessHours = yup
  .object({
    timezone: yup
      .string()
      .required('${path} is required')
      .max(64)
      .test('iana-zone', '${path} must be an IANA time zone such as Europe/Berlin', (v) => !v || isTimeZone(v)),
    days: yup
      .object(Object.fromEntries(WEEKDAYS.map((d) => [d, openingHours])))
      .noUnknown(true, '${path} has an unknown day (use mon, tue, wed, thu, fri, sat, sun)')
      .required('${path} is required')
      .test('some-day', '${path} must open on at least one day (set businessHours to null for always open)', (v) =>
        Object.values((v ?? {}) as Record<string, unknown>).some(Boolean)
      ),
  })
  .noUnknown()
  .nullable()
  .default(undefined);

const schema = yup
  .object({
    identitySources: yup
      .array()
      .of(
        yup
          .object({
            kind: yup
              .string()
              .required('${path} is required')
              .matches(KIND_PATTERN, '${path} must be a short key of lowercase letters, digits and dashes, such as customer')
              .notOneOf(['unknown'], '${path} cannot be unknown (that is what the inbox calls no match)'),
            label: yup.string().trim().max(60).nullable(),
            uid: uid.required(),
            phoneField: field.required(),
            nameField: field.nullable(),
            optOutField: field.nullable(),
          })
          .noUnknown()
      )
      .max(10)
      .test('unique-kinds', 'each identity source needs its own kind', function (sources) {
        const seen = new Set<string>();
        for (const [i, source] of (sources ?? []).entries()) {
          if (!source?.kind) continue;
          if (seen.has(source.kind)) return this.createError({ path: `identitySources[${i}].kind`, message: `identitySources[${i}].kind ${source.kind} is already the kind of another source` });
          seen.add(source.kind);
        }
        return true;
      }),
    autoLead: yup
      .object({
        enabled: yup.boolean(),
        uid,
        nameField: field,
        phoneField: field,
        statusField: field.nullable(),
        status: yup.string().nullable().max(100),
        sourceField: field.nullable(),
        source: yup.string().nullable().max(100),
        assigneeField: field.nullable(),
        assigneeId: yup.number().integer().positive().nullable(),
      })
      .noUnknown()
      .nullable()
      .default(undefined),
    ticket: yup
      .object({
        uid,
        subjectField: field,
        descriptionField: field.nullable(),
        statusField: field.nullable(),
        status: yup.string().nullable().max(100),
        conversationField: field.nullable(),
      })
      .noUnknown()
      .nullable()
      .default(undefined),
    defaultNumberId: yup.number().integer().positive().nullable(),
    businessHours,
    outOfHoursReply: yup.string().nullable().max(4096),
    notificationFields: yup
      .object()
      .test('field-lists', 'notificationFields maps content type uids to lists of field paths', (v) =>
        v === undefined || Object.entries((v ?? {}) as Record<string, unknown>).every(([k, list]) => /^api::[a-z0-9-]+\.[a-z0-9-]+$/.test(k) && Array.isArray(list) && list.every((f: unknown) => typeof f === 'string' && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(f)))
      ),
  })
  .noUnknown()
  .required();

export const validateSettings = validateYupSchema(schema);
