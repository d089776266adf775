import { useListTemplatesQuery } from '../../../api';

/**
 * Every template the number ever had (removed ones too), to show template messages as the customer
 * read them. Without templates.read the thread falls back to the template's name.
 */
export const useNumberTemplates = (numberId: number) => useListTemplatesQuery({ numberId, includeRemoved: true }).data ?? [];
