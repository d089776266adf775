import { yup, validateYupSchema } from '@strapi/utils';
import { WEBHOOK_STATES } from '../../contracts/logs';
import { idNumber, idString } from '../ids';

const isoDate = yup.string().test('iso-date', '${path} must be an ISO date, e.g. 2026-01-01T00:00:00Z', (v) => v === undefined || !Number.isNaN(Date.parse(v)));
const intString = (max: number) => yup.string().matches(/^\d+$/, '${path} must be a whole number').test('max', `\${path} must be at most ${max}`, (v) => v === undefined || Number(v) <= max);

export const validateListQuery = validateYupSchema(
  yup.object({
    numberId: idString('numberId'),
    state: yup.string().oneOf([...WEBHOOK_STATES]),
    from: isoDate,
    to: isoDate,
    call: yup.string().max(100),
    page: intString(100000),
    pageSize: intString(200),
  })
);

export const validateReplayRange = validateYupSchema(
  yup
    .object({
      from: isoDate.required(),
      to: isoDate.required(),
      numberId: idNumber(),
      state: yup.string().oneOf([...WEBHOOK_STATES]),
    })
    .noUnknown()
    .required()
);
