import { yup, validateYupSchema } from '@strapi/utils';

const field = yup.string().matches(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an attribute name').max(64);
const uid = yup.string().matches(/^(api|plugin)::[a-z0-9-]+\.[a-z0-9-]+$/, 'must be a content type uid such as api::lead.lead');

const schema = yup
  .object({
    identitySources: yup
      .array()
      .of(
        yup
          .object({
            kind: yup.string().oneOf(['lead', 'contact', 'staff']).required(),
            uid: uid.required(),
            phoneField: field.required(),
            nameField: field.nullable(),
            optOutField: field.nullable(),
          })
          .noUnknown()
      )
      .max(10),
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
      .noUnknown(),
    ticket: yup
      .object({
        uid,
        subjectField: field,
        descriptionField: field.nullable(),
        statusField: field.nullable(),
        status: yup.string().nullable().max(100),
        conversationField: field.nullable(),
      })
      .noUnknown(),
    defaultNumberId: yup.number().integer().positive().nullable(),
    notificationFields: yup
      .object()
      .test('field-lists', 'notificationFields maps content type uids to lists of field paths', (v) =>
        v === undefined || Object.entries((v ?? {}) as Record<string, unknown>).every(([k, list]) => /^api::[a-z0-9-]+\.[a-z0-9-]+$/.test(k) && Array.isArray(list) && list.every((f: unknown) => typeof f === 'string' && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(f)))
      ),
  })
  .noUnknown()
  .required();

export const validateSettings = validateYupSchema(schema);
