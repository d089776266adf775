import { useListTemplatesQuery } from '../../api';

/** A number's approved templates (the only ones a rule can send); reloads when the number changes. */
export const useApprovedTemplates = (numberId: string | number | null | undefined) => {
  const query = useListTemplatesQuery({ numberId: numberId ?? undefined, status: 'APPROVED' }, { skip: !numberId });
  const status = !numberId ? 'idle' : query.isFetching && !query.isSuccess ? 'loading' : query.isError ? 'error' : query.isSuccess ? 'ready' : 'loading';
  return { status, templates: (numberId && query.data) || [] } as const;
};
