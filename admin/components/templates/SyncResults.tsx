import { Box, Flex, Typography } from '@strapi/design-system';
import type { SyncResult } from '../../../contracts/templates';
import { useTranslate } from '../../hooks/useTranslate';

/** What the last "Sync now" did, per number: counts, or why the number could not be synced. */
export const SyncResults = ({ results, numberLabel }: { results: SyncResult[]; numberLabel: (id: number) => string }) => {
  const t = useTranslate();
  const failed = results.filter((r) => r.error).length;
  return (
    <Box
      role="status"
      aria-label={t('templates.sync.result', 'Sync result')}
      background={failed ? 'warning100' : 'success100'}
      borderColor={failed ? 'warning200' : 'success200'}
      hasRadius
      padding={4}
      marginBottom={4}
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography fontWeight="semiBold" textColor="neutral800">
          {results.length === 0
            ? t('templates.sync.none', 'No active number to sync.')
            : failed
              ? t('templates.sync.partial', 'Synced with {failed, plural, one {# error} other {# errors}}.', { failed })
              : t('templates.sync.done', 'Sync finished.')}
        </Typography>
        {results.map((r) => (
          <Typography key={r.numberId} variant="pi" textColor={r.error ? 'danger700' : 'neutral800'} style={{ overflowWrap: 'anywhere' }}>
            {r.error
              ? t('templates.sync.numberError', '{number}: not synced — {error}', { number: numberLabel(r.numberId), error: r.error })
              : t(
                  'templates.sync.numberDone',
                  '{number}: {synced, plural, one {# template} other {# templates}} synced, {removed} removed',
                  {
                    number: numberLabel(r.numberId),
                    synced: r.synced,
                    removed: r.removed,
                  },
                )}
          </Typography>
        ))}
      </Flex>
    </Box>
  );
};
