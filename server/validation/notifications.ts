import { yup, validateYupSchema } from '@strapi/utils';
import { MAX_ID } from '../ids';

const param = yup
  .object({
    component: yup.string().oneOf(['header', 'body', 'button']).required(),
    index: yup.number().integer().min(0).max(60),
    name: yup.string().max(64),
    from: yup.string().oneOf(['field', 'constant', 'link']).required(),
    value: yup.string().max(500),
  })
  .noUnknown();

const fields = {
  name: yup.string().min(1, 'give the rule a name').max(200),
  contentType: yup.string().matches(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, 'choose a content type (a collection type of this app, such as api::lead.lead)'),
  event: yup.string().oneOf(['created', 'updated', 'fieldChanged', 'published', 'deleted', 'dateOffset']),
  field: yup.string().max(100).nullable(),
  value: yup.mixed().test('scalar', 'value must be a text, a number, true or false', (v) => v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v)),
  offsetDays: yup.number().integer().min(-365).max(365).nullable(),
  // Compared as text with the record's values: nested objects or operators would never match.
  condition: yup
    .object()
    .nullable()
    .test('scalars', 'condition values must be texts, numbers, true/false or empty', (v) => !v || Object.values(v).every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))),
  numberId: yup.number().integer().positive('choose a number').max(MAX_ID, 'choose a number'),
  template: yup.object({ name: yup.string().required('choose a template').max(512), language: yup.string().required('choose a template').max(20) }).noUnknown().default(undefined),
  parameters: yup.array().of(param).max(60),
  recipient: yup.object({ from: yup.string().oneOf(['field', 'constant']).required(), value: yup.string().required('choose the phone field, or enter a phone number').max(200) }).noUnknown().default(undefined),
  active: yup.boolean(),
};

export const validateRuleCreate = validateYupSchema(
  yup
    .object({
      ...fields,
      name: fields.name.required('give the rule a name'),
      contentType: fields.contentType.required('choose a content type'),
      event: fields.event.required(),
      numberId: fields.numberId.required('choose a number'),
      template: fields.template.required('choose a template'),
      recipient: fields.recipient.required('choose the phone field, or enter a phone number'),
    })
    .noUnknown()
    .required()
);

export const validateRuleUpdate = validateYupSchema(yup.object(fields).noUnknown().required());

export const validateTestSend = validateYupSchema(yup.object({ documentId: yup.string().required().max(64) }).noUnknown().required());

// Query strings stay strings under strict validation: the limit is checked as text.
export const validateFiringsQuery = validateYupSchema(
  yup.object({ limit: yup.string().matches(/^(?:[1-9]|[1-9]\d|1\d\d|200)$/, 'limit must be a whole number from 1 to 200') }).noUnknown()
);
