import { yup, validateYupSchema } from '@strapi/utils';

export const validateSyncBody = validateYupSchema(
  yup.object({ numberId: yup.number().integer().positive() }).noUnknown().nullable()
);

export const validateTemplateQuery = validateYupSchema(
  yup.object({
    numberId: yup.string().matches(/^\d+$/, 'numberId must be a whole number'),
    status: yup.string().max(40),
    includeRemoved: yup.string().oneOf(['true', 'false']),
  })
);
