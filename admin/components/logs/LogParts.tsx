import * as React from 'react';
import { Box, Button, EmptyStateLayout, Field, Flex, Loader, SingleSelect } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { useTranslate } from '../../hooks/useTranslate';

/** A filter select of the log tabs. */
export const Filter = ({ label, value, onChange, children }: { label: string; value: string; onChange: (v: string) => void; children: React.ReactNode }) => (
  <Box style={{ flex: '0 1 16rem', minWidth: '12rem', maxWidth: '100%' }}>
    <SingleSelect aria-label={label} value={value} onChange={(v) => onChange(String(v))}>
      {children}
    </SingleSelect>
  </Box>
);

/** A `datetime-local` bound of the received-at range (local time, minutes; empty = unbounded). */
export const TimeBound = ({ label, value, compact, onChange }: { label: string; value: string; compact: boolean; onChange: (v: string) => void }) => (
  <Box style={{ flex: compact ? '1 1 100%' : '0 1 16rem', minWidth: '12rem', maxWidth: '100%' }}>
    <Field.Root name={label}>
      <Field.Label>{label}</Field.Label>
      <Field.Input type="datetime-local" value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} />
    </Field.Root>
  </Box>
);

export const RefreshButton = ({ onClick }: { onClick: () => unknown }) => {
  const t = useTranslate();
  return (
    <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={onClick}>
      {t('logs.refresh', 'Refresh')}
    </Button>
  );
};

export interface LogBodyProps {
  query: { isLoading: boolean; isError: boolean; refetch: () => unknown };
  empty: boolean;
  emptyText: string;
  children: React.ReactNode;
}

/** A log tab's list, or its loader, its error with "Try again", or what it says when there is nothing. */
export const LogBody = ({ query, empty, emptyText, children }: LogBodyProps) => {
  const t = useTranslate();
  if (query.isLoading) {
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('logs.loading', 'Loading…')}</Loader>
      </Flex>
    );
  }
  if (query.isError) {
    return (
      <EmptyStateLayout
        icon={<EmptyDocuments width="16rem" />}
        content={t('logs.loadError', 'The log could not be loaded.')}
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => query.refetch()}>
            {t('logs.retry', 'Try again')}
          </Button>
        }
      />
    );
  }
  if (empty) return <EmptyStateLayout icon={<EmptyDocuments width="16rem" />} content={emptyText} />;
  return <>{children}</>;
};
