import { yup, validateYupSchema } from '@strapi/utils';
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
