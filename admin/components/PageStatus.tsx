import * as React from 'react';
import { Button } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Page } from '@strapi/strapi/admin';
import { useNotifyError } from '../api/errors';
import { useTranslate } from '../hooks/useTranslate';

/** What a page needs of each query it cannot show without. */
export interface PageQuery {
  isLoading: boolean;
  isError: boolean;
  /** What an earlier answer brought: a reload that fails keeps showing it. */
  data?: unknown;
  error?: unknown;
  refetch: () => unknown;
}

export interface PageStatusProps {
  /** The queries the page cannot be shown without (optional ones, such as labels, stay out). */
  queries: PageQuery[];
  /** Something else is still loading (permissions). */
  loading?: boolean;
  children: React.ReactNode;
}

/** The page, or Strapi's loading page while a query it needs first loads, or its error page with "Try again" when that failed. */
export const PageStatus = ({ queries, loading, children }: PageStatusProps) => {
  const t = useTranslate();
  const notifyError = useNotifyError();
  // The server's reason, as a notification, beside the error page.
  const failure = queries.find((q) => q.error)?.error;
  React.useEffect(() => {
    if (failure) notifyError(failure);
  }, [failure, notifyError]);
  if (loading || queries.some((q) => q.isLoading)) return <Page.Loading />;
  const failed = queries.filter((q) => q.isError && q.data === undefined);
  if (failed.length) {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => failed.forEach((q) => q.refetch())}>
            {t('retry', 'Try again')}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
};

/** Ids with a request on their way (a row's switch), so their controls wait. */
export const usePending = () => {
  const [pending, setPending] = React.useState<ReadonlySet<number>>(new Set());
  const track = React.useCallback(async <T,>(id: number, work: () => Promise<T>) => {
    setPending((prev) => new Set(prev).add(id));
    try {
      return await work();
    } finally {
      setPending((prev) => {
        const next = new Set(prev);
        next.delete(id);
        return next;
      });
    }
  }, []);
  return { pending, track };
};
