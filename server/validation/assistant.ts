import { errors, yup, validateYupSchema } from '@strapi/utils';
import { ASSISTANT_ENGINES, ASSISTANT_MODES, SUGGESTION_OUTCOMES } from '../../contracts/assistant';
import { KNOWLEDGE_COLLECTION_MAX_FIELDS, KNOWLEDGE_MAX_CHARS } from '../constants';

const settings = yup
  .object({
    engine: yup.string().oneOf([...ASSISTANT_ENGINES]).required(),
    baseUrl: yup.string().nullable().url().max(500),
    model: yup.string().nullable().max(200),
    apiKey: yup.string().nullable().max(500),
    redact: yup.boolean(),
    budgetPerConversation: yup.number().nullable().integer().min(1).max(10_000),
    numbers: yup
      .array()
      .of(
        yup
          .object({
            numberId: yup.number().integer().min(1).required(),
            mode: yup.string().oneOf([...ASSISTANT_MODES]).required(),
            threshold: yup.number().nullable().min(0).max(1),
            golden: yup
              .array()
              .of(
                yup
                  .object({
                    question: yup.string().trim().min(1).max(1000).required(),
                    expectedSources: yup.array().of(yup.string().trim().min(1).max(200).required()).max(20).default([]),
                  })
                  .noUnknown()
              )
              .max(100),
            // Sent back as read and ignored: the server keeps it, or sets it to whoever switches the number to auto.
            enabledBy: yup.mixed(),
          })
          .noUnknown()
      )
      .max(500)
      .required(),
  })
  .noUnknown();

const invalid = (path: (string | number)[], message: string) =>
  new errors.ValidationError(`${path.join('.')}: ${message}`, { errors: [{ path: path.map(String), message, name: 'ValidationError', value: null }] });

export const validateAssistantSettings = async (body: unknown) => {
  const value = (await validateYupSchema(settings)(body)) as any;
  const seen = new Set<number>();
  value.numbers.forEach((n: { numberId: number }, i: number) => {
    if (seen.has(n.numberId)) throw invalid(['numbers', i, 'numberId'], 'this number is listed twice');
    seen.add(n.numberId);
  });
  if (value.engine === 'openai' && !value.baseUrl) throw invalid(['baseUrl'], 'the OpenAI-compatible engine needs a base URL');
  if (value.engine === 'openai' && !value.model) throw invalid(['model'], 'the OpenAI-compatible engine needs a model');
  return value;
};

/** The numbers a knowledge source answers on (none: every number); the service checks the caller sees each. */
const knowledgeNumbers = yup.array().of(yup.number().integer().min(1).max(2_147_483_647).required()).max(100);

/** An upload's `numberIds` form field: `1,2`, `[1,2]` or empty. */
export const validateUploadNumbers = validateYupSchema(yup.object({ numberIds: knowledgeNumbers }));

export const validateKnowledge = validateYupSchema(
  yup
    .object({
      title: yup.string().trim().min(1).max(200).required(),
      text: yup.string().trim().min(1).max(KNOWLEDGE_MAX_CHARS).required(),
      numberIds: knowledgeNumbers,
    })
    .noUnknown()
);

/** A host collection as knowledge: the fields are checked against the admin's rights by the service. */
export const validateCollectionKnowledge = validateYupSchema(
  yup
    .object({
      contentType: yup.string().trim().min(1).max(200).required(),
      titleField: yup.string().trim().min(1).max(200).required(),
      fields: yup.array().of(yup.string().trim().min(1).max(200).required()).min(1).max(KNOWLEDGE_COLLECTION_MAX_FIELDS).required(),
      filters: yup
        .object()
        .nullable()
        .test('plain', 'keys must be field names (no $ operators at the top level)', (v) => !v || Object.keys(v).every((k) => !k.startsWith('$'))),
      numberIds: knowledgeNumbers,
    })
    .noUnknown()
);

export const validateOutcome = validateYupSchema(yup.object({ outcome: yup.string().oneOf([...SUGGESTION_OUTCOMES]).required() }).noUnknown());

export const validateEvaluate = validateYupSchema(yup.object({ numberId: yup.number().integer().min(1).required() }).noUnknown());
