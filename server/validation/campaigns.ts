import { yup, validateYupSchema } from '@strapi/utils';
import { CAMPAIGN_STATES, RECIPIENT_STATUSES } from '../../contracts/campaigns';
import { idNumber, idString } from '../ids';
import { parseCsv } from '../campaigns/csv';
import { cronProblem, instantOf, isTimeZone } from '../campaigns/schedule';

/** The largest CSV accepted in a request body (about 100,000 short rows). */
const MAX_CSV_CHARS = 5_000_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Why an uploaded CSV cannot be read, or null. */
const csvProblem = (text: string) => {
  try {
    parseCsv(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

/** A filter's bounds: deeper or larger ones are no Content Manager filter and would only load the database. */
const MAX_FILTER_DEPTH = 10;
const MAX_FILTER_NODES = 200;

/** Whether a filter stays within the depth and node bounds (stops counting as soon as it does not). */
const withinBounds = (filter: unknown) => {
  let nodes = 0;
  const walk = (node: unknown, depth: number): boolean => {
    nodes += 1;
    if (nodes > MAX_FILTER_NODES || depth > MAX_FILTER_DEPTH) return false;
    if (!node || typeof node !== 'object') return true;
    return Object.values(node).every((child) => walk(child, depth + 1));
  };
  return walk(filter, 0);
};

const param = yup
  .object({
    component: yup.string().oneOf(['header', 'body', 'button']).required(),
    index: yup.number().integer().min(0).max(60),
    name: yup.string().max(64),
    from: yup.string().oneOf(['field', 'column', 'constant']).required(),
    value: yup.string().max(2000).required('choose the field or column, or enter the text'),
    fallback: yup.string().max(2000).nullable(),
  })
  .noUnknown();

const dateTime = (name: string) =>
  yup
    .string()
    .nullable()
    .max(40)
    .test('date', `${name} must be an ISO date-time, e.g. 2026-12-24T09:00`, (v) => !v || instantOf(v) !== null);

const audience = yup
  .object({
    contentType: yup.string().nullable().max(200).matches(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, { message: 'choose a collection type of this app, such as api::lead.lead', excludeEmptyString: true }),
    filters: yup
      .object()
      .nullable()
      .test('size', `a filter may nest ${MAX_FILTER_DEPTH} levels and hold ${MAX_FILTER_NODES} conditions at most`, (v) => !v || withinBounds(v)),
    phoneField: yup.string().nullable().max(200),
    consentField: yup.string().nullable().max(100),
    timeZoneField: yup.string().nullable().max(100),
    csv: yup
      .string()
      .nullable()
      .max(MAX_CSV_CHARS, 'the CSV is too large (5 MB at most)')
      .test('csv', function check(v) {
        const problem = v ? csvProblem(v) : null;
        return problem ? this.createError({ message: `the CSV cannot be read: ${problem}` }) : true;
      }),
    phoneColumn: yup.string().nullable().max(200),
  })
  .noUnknown()
  .default(undefined)
  // On update an absent csv keeps the stored one; the service checks the merged campaign.
  .test('who', 'choose a content type or upload a CSV', (v) => !v || Boolean(v.contentType || v.csv) || v.csv === undefined);

const schedule = yup
  .object({
    type: yup.string().oneOf(['now', 'once', 'recurring']).required('choose when to send'),
    at: dateTime('at'),
    timeZone: yup.string().nullable().max(64).test('zone', 'timeZone must be an IANA time zone, e.g. Europe/Paris', (v) => !v || isTimeZone(v)),
    frequency: yup.string().nullable().oneOf(['daily', 'weekly', 'monthly', null]),
    cron: yup
      .string()
      .nullable()
      .max(100)
      .test('cron', function check(v) {
        const problem = v ? cronProblem(v) : null;
        return problem ? this.createError({ message: `cron: ${problem}` }) : true;
      }),
    until: dateTime('until'),
    quietHours: yup
      .object({
        start: yup.string().matches(HHMM, 'quietHours.start must be HH:MM').required(),
        end: yup.string().matches(HHMM, 'quietHours.end must be HH:MM').required(),
        timeZone: yup.string().nullable().max(64).test('zone', 'quietHours.timeZone must be an IANA time zone, e.g. Europe/Paris', (v) => !v || isTimeZone(v)),
        perRecipient: yup.boolean().nullable(),
      })
      .nullable()
      .default(undefined)
      .noUnknown(),
  })
  .noUnknown()
  .default(undefined)
  .test('at', 'a campaign sent once needs at (the date and time)', (v) => !v || v.type !== 'once' || Boolean(v.at))
  .test('recurring', 'a recurring campaign needs frequency or cron', (v) => !v || v.type !== 'recurring' || Boolean(v.frequency || v.cron));

const options = yup
  .object({
    contactedWithinHours: yup.number().integer().min(0).max(24 * 90).nullable(),
    spreadOverDays: yup.boolean(),
    ecosystemRetries: yup.number().integer().min(0).max(5),
    autoPause: yup.object({ window: yup.number().integer().min(5).max(10_000).required(), failureRate: yup.number().min(0).max(1).required() }).nullable().default(undefined).noUnknown(),
    replyWindowHours: yup.number().integer().min(1).max(24 * 30),
  })
  .noUnknown()
  .default(undefined);

const fields = {
  name: yup.string().trim().min(1, 'give the campaign a name').max(200),
  numberId: idNumber(),
  template: yup.object({ name: yup.string().required('choose a template').max(512), language: yup.string().required('choose a template').max(20) }).noUnknown().default(undefined),
  parameters: yup.array().of(param).max(60),
  audience,
  schedule,
  options,
};

export const validateCampaignCreate = validateYupSchema(
  yup
    .object({
      ...fields,
      name: fields.name.required('give the campaign a name'),
      numberId: fields.numberId.required('choose a number'),
      template: fields.template.required('choose a template'),
      audience: audience.required('choose a content type or upload a CSV').test('who-new', 'choose a content type or upload a CSV', (v: { contentType?: string | null; csv?: string | null } | undefined) => Boolean(v && (v.contentType || v.csv))),
      schedule: schedule.required('choose when to send'),
    })
    .noUnknown()
    .required()
);

export const validateCampaignUpdate = validateYupSchema(yup.object(fields).noUnknown().required());

export const validateLaunch = validateYupSchema(yup.object({ spreadOverDays: yup.boolean() }).noUnknown().nullable());

export const validateAction = validateYupSchema(yup.object({ reason: yup.string().max(500) }).noUnknown().nullable());

export const validateTestSend = validateYupSchema(yup.object({ phones: yup.array().of(yup.string().required().max(40)).min(1, 'enter at least one phone').max(10, 'at most 10 phones').required('enter at least one phone') }).noUnknown().required());

// Query strings stay strings under strict validation.
export const validateListQuery = validateYupSchema(
  yup
    .object({
      state: yup.string().oneOf([...CAMPAIGN_STATES]),
      numberId: idString('numberId'),
      page: yup.string().matches(/^[1-9]\d{0,5}$/, 'page must be a whole number from 1'),
      pageSize: yup.string().matches(/^(?:[1-9]|[1-9]\d|100)$/, 'pageSize must be a whole number from 1 to 100'),
    })
    .noUnknown()
);

export const validateRecipientsQuery = validateYupSchema(
  yup
    .object({
      status: yup.string().oneOf([...RECIPIENT_STATUSES]),
      occurrenceId: idString('occurrenceId'),
      page: yup.string().matches(/^[1-9]\d{0,5}$/, 'page must be a whole number from 1'),
      pageSize: yup.string().matches(/^(?:[1-9]|[1-9]\d{1,2}|1000)$/, 'pageSize must be a whole number from 1 to 1000'),
    })
    .noUnknown()
);
