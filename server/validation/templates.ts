import { yup, validateYupSchema } from '@strapi/utils';
import { TEMPLATE_CATEGORIES } from '../../contracts/templates';
import { idNumber, idString } from '../ids';

export const validateSyncBody = validateYupSchema(
  yup.object({ numberId: idNumber() }).noUnknown().nullable()
);

export const validateTemplateQuery = validateYupSchema(
  yup.object({
    numberId: idString('numberId'),
    status: yup.string().max(40),
    includeRemoved: yup.string().oneOf(['true', 'false']),
  })
);

/** A template entered by hand, for a number whose provider lists none (AiSensy): its body text with {{1}}… placeholders. */
export const validateRegisterBody = validateYupSchema(
  yup
    .object({
      numberId: idNumber().required(),
      name: yup.string().trim().matches(/^[a-z0-9_]+$/, 'name: lower-case letters, digits and _ only').max(512).required(),
      language: yup.string().trim().matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'language: a code such as en or en_US').required(),
      category: yup.string().oneOf([...TEMPLATE_CATEGORIES]).required(),
      body: yup.string().trim().max(1024).required(),
    })
    .noUnknown()
);
