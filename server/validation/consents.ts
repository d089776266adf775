import { yup, validateYupSchema } from '@strapi/utils';
import { CONSENT_SOURCES, CONSENT_STATUSES } from '../../contracts/consent';
import { idString } from '../ids';

const intString = (max: number) => yup.string().matches(/^\d+$/, '${path} must be a whole number').test('max', `\${path} must be at most ${max}`, (v) => v === undefined || Number(v) <= max);

export const validateConsentQuery = validateYupSchema(
  yup.object({
    status: yup.string().oneOf([...CONSENT_STATUSES]),
    source: yup.string().oneOf([...CONSENT_SOURCES]),
    numberId: idString('numberId'),
    search: yup.string().max(100),
    page: intString(100000).test('min', '${path} must be at least 1', (v) => v === undefined || Number(v) >= 1),
    pageSize: intString(200).test('min', '${path} must be at least 1', (v) => v === undefined || Number(v) >= 1),
  })
);

export const validateSetConsent = validateYupSchema(
  yup
    .object({
      status: yup.string().oneOf([...CONSENT_STATUSES]).required(),
      note: yup.string().nullable().max(500),
    })
    .noUnknown()
    .required()
);
