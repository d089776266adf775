import { yup, validateYupSchema } from '@strapi/utils';
import { idNumber, idString, toId } from '../ids';
import { rejectInheritedKeys } from './inherited-keys';
import { MAX_PAGED_ROWS } from '../../contracts/inbox';

const param = yup.object({
  type: yup.string().oneOf(['text', 'image', 'video', 'document', 'payload', 'coupon_code', 'currency', 'date_time']).required(),
  text: yup.string().max(1024),
  name: yup.string().max(64),
  link: yup.string().url().max(2048),
  id: yup.string().max(128),
  filename: yup.string().max(240),
  payload: yup.string().max(256),
  couponCode: yup.string().when('type', { is: 'coupon_code', then: (s) => s.required().min(1).max(15) }),
  fallback: yup.string().max(256),
  code: yup.string().max(3),
  amount1000: yup.number().integer(),
});

const templateParams = yup
  .object({
    header: yup.array().of(param).max(1),
    body: yup.array().of(param).max(60),
    buttons: yup
      .array()
      .of(yup.object({ index: yup.number().integer().min(0).max(9).required(), subType: yup.string().oneOf(['quick_reply', 'url', 'copy_code', 'flow']).required(), params: yup.array().of(param).required() }))
      .max(10),
  })
  .noUnknown();

/** A caller's idempotency key: letters, digits, - and _ only, so it can never name a key the plugin makes itself (`firing:…`, `out-of-hours:…`). */
const callerKey = () => yup.string().max(100).matches(/^[A-Za-z0-9_-]+$/, 'idempotencyKey may hold only letters, digits, - and _');

const reply = yup
  .object({
    type: yup.string().oneOf(['text', 'media', 'template', 'interactive', 'quick-reply', 'location', 'contacts']).required(),
    name: yup.string().when('type', { is: 'quick-reply', then: (s) => s.required().max(50), otherwise: (s) => s.strip() }),
    idempotencyKey: callerKey(),
    text: yup.string().when('type', { is: 'text', then: (s) => s.required().min(1).max(4096), otherwise: (s) => s.strip() }),
    replyTo: yup.string().max(200),
    mediaType: yup.string().oneOf(['image', 'video', 'audio', 'document']),
    link: yup.string().url().max(2048),
    fileId: idNumber(),
    caption: yup.string().max(1024),
    filename: yup.string().max(240),
    template: yup.object().when('type', {
      is: 'template',
      then: () => yup.object({ name: yup.string().required().max(512), language: yup.string().required().max(20), params: templateParams }).noUnknown().required(),
      otherwise: (s) => s.strip(),
    }),
    // A place and a contact card, with the limits the bots' answers have (server/bots/validate.ts).
    location: yup.object().when('type', {
      is: 'location',
      then: () =>
        yup
          .object({
            latitude: yup.number().typeError('location.latitude must be a number').min(-90).max(90).required(),
            longitude: yup.number().typeError('location.longitude must be a number').min(-180).max(180).required(),
            name: yup.string().max(1000),
            address: yup.string().max(1000),
          })
          .noUnknown()
          .required(),
      otherwise: (s) => s.strip(),
    }),
    contact: yup.object().when('type', {
      is: 'contacts',
      then: () =>
        yup
          .object({
            name: yup.string().trim().min(1).max(200).required(),
            phone: yup.string().trim().max(32).matches(/^\+?[\d\s().-]{5,}$/, 'contact.phone must be a phone number').required(),
            email: yup.string().trim().max(200).email('contact.email must be an email address'),
          })
          .noUnknown()
          .required(),
      otherwise: (s) => s.strip(),
    }),
    interactive: yup.object().when('type', {
      is: 'interactive',
      then: () =>
        yup
          .object({
            type: yup.string().oneOf(['button', 'list', 'cta_url']).required(),
            body: yup.string().required().max(1024),
            header: yup.string().max(60),
            footer: yup.string().max(60),
            // What Meta accepts, so a reply it would refuse is a 400 here rather than a failed message.
            buttons: yup
              .array()
              .of(yup.object({ id: yup.string().required().max(256), title: yup.string().required().max(20) }))
              .when('type', { is: 'button', then: (a) => a.required('a button message needs 1 to 3 buttons').min(1, 'a button message needs 1 to 3 buttons'), otherwise: (a) => a.strip() })
              .max(3)
              .test('unique-ids', 'button ids must be unique', (buttons) => !buttons || new Set(buttons.map((b) => b.id)).size === buttons.length),
            buttonText: yup.string().max(20),
            sections: yup
              .array()
              .of(yup.object({ title: yup.string().max(24), rows: yup.array().of(yup.object({ id: yup.string().required().max(200), title: yup.string().required().max(24), description: yup.string().max(72) })).required() }))
              .when('type', { is: 'list', then: (a) => a.required('a list needs sections with 1 to 10 rows in all').min(1, 'a list needs sections with 1 to 10 rows in all'), otherwise: (a) => a.strip() })
              .max(10)
              .test('rows', 'a list has 1 to 10 rows in all', (sections) => {
                if (!sections) return true;
                const rows = sections.reduce((n, section) => n + (section.rows?.length ?? 0), 0);
                return rows >= 1 && rows <= 10;
              }),
            displayText: yup.string().max(20).when('type', { is: 'cta_url', then: (v) => v.required('a link button needs displayText') }),
            url: yup.string().url().when('type', { is: 'cta_url', then: (v) => v.required('a link button needs url') }),
          })
          .required(),
      otherwise: (s) => s.strip(),
    }),
  })
  .noUnknown()
  .test('media-source', 'a media reply needs either `link` (with `mediaType`) or `fileId`', (v: any) => v?.type !== 'media' || Boolean(v.fileId) !== Boolean(v.link))
  .test('media-type', 'a media reply by link needs `mediaType`', (v: any) => v?.type !== 'media' || !v.link || Boolean(v.mediaType))
  .required();

const validateReplyShape = validateYupSchema(reply, { strict: false, stripUnknown: false });
export const validateReply = async (body: unknown) => {
  rejectInheritedKeys(body);
  return validateReplyShape(body);
};

/**
 * `page` may reach back MAX_PAGED_ROWS rows at the page size asked for (defaults and maximum as
 * the service applies them): a deeper offset is read and counted row by row.
 */
const withinPagedRows = (defaultSize: number, maxSize: number, instead: string) => ({
  name: 'page-depth',
  test(this: yup.TestContext, v: { page?: string; pageSize?: string } | undefined) {
    const pageSize = Math.min(maxSize, Math.max(1, Number(v?.pageSize ?? defaultSize)));
    if (!v?.page || (Number(v.page) - 1) * pageSize <= MAX_PAGED_ROWS) return true;
    return this.createError({ path: 'page', message: `page reaches back at most ${MAX_PAGED_ROWS} rows (page ${Math.floor(MAX_PAGED_ROWS / pageSize) + 1} at this pageSize): ${instead}` });
  },
});

export const validateConversationQuery = validateYupSchema(
  yup.object({
    numberId: idString('numberId'),
    state: yup.string().oneOf(['open', 'closed']),
    assignee: yup
      .string()
      .matches(/^(me|unassigned|\d+)$/, 'assignee is me, unassigned or a user id')
      .test('id', 'assignee is not a known user id', (v) => !v || !/^\d+$/.test(v) || toId(v) !== null),
    crm: yup.string().matches(/^[a-z0-9-]{1,40}$/, 'crm is an identity kind (such as customer) or unknown'),
    q: yup.string().max(100),
    page: yup.string().matches(/^\d{1,6}$/, 'page must be a whole number'),
    pageSize: yup.string().matches(/^\d{1,3}$/, 'pageSize must be a whole number'),
  }).test(withinPagedRows(25, 100, 'narrow the list with a filter or a search'))
);

export const validateMessagesQuery = validateYupSchema(
  yup
    .object({
      page: yup.string().matches(/^[1-9]\d{0,5}$/, 'page must be a whole number from 1'),
      pageSize: yup.string().matches(/^[1-9]\d{0,2}$/, 'pageSize must be a whole number from 1 to 200'),
      before: idString('before'),
    })
    .test(withinPagedRows(50, 200, 'ask for older messages with `before` (the previous page\'s meta.nextBefore)'))
    .test('page-or-before', 'give either page or before', function (v) {
      return !(v?.page && v?.before) || this.createError({ path: 'before', message: 'before pages on its own: give either page or before' });
    })
);

export const validateAssigneesQuery = validateYupSchema(yup.object({ numberId: idString('numberId') }));

export const validateAssign = validateYupSchema(yup.object({ assigneeId: idNumber().nullable().defined() }).noUnknown().required());

export const validateTicket = validateYupSchema(yup.object({ subject: yup.string().max(255), description: yup.string().max(10000) }).noUnknown().nullable());

export const validateStart = validateYupSchema(
  yup
    .object({
      // Without one, the default number of the settings.
      numberId: idNumber(),
      to: yup.string().max(32),
      record: yup.object({ uid: yup.string().required().max(100), documentId: yup.string().required().max(64) }).default(undefined),
      template: yup.object({ name: yup.string().required().max(512), language: yup.string().required().max(20), params: templateParams }).noUnknown().required(),
      idempotencyKey: callerKey(),
    })
    .noUnknown()
    .test('recipient', 'give either `to` (a phone number) or `record` (a CRM record)', (v) => Boolean(v?.to) !== Boolean(v?.record))
    .required()
);

const quickReplyFields = { name: yup.string().matches(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'name: lower-case letters, digits, - and _ (up to 50)'), text: yup.string().min(1).max(4096) };
export const validateQuickReplyCreate = validateYupSchema(yup.object({ name: quickReplyFields.name.required(), text: quickReplyFields.text.required() }).noUnknown().required());
export const validateQuickReplyUpdate = validateYupSchema(yup.object(quickReplyFields).noUnknown().required());
