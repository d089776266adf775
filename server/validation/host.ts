import { yup, validateYupSchema } from '@strapi/utils';

export const validateRecipientQuery = validateYupSchema(
  yup.object({ q: yup.string().trim().min(2, 'q: at least 2 characters').max(100).required('q: what to search for') })
);
