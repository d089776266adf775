import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import type { Suggestion } from '../../../../contracts/assistant';
import { useTranslate } from '../../../hooks/useTranslate';

/** The assistant's draft above the composer: its text, confidence and citations; staff use it or reject it. */
export const SuggestionPanel = ({ suggestion, onUse, onReject }: { suggestion: Suggestion; onUse: () => void; onReject: () => void }) => {
  const t = useTranslate();
  return (
    <Box background="primary100" hasRadius padding={3} role="region" aria-label={t('inbox.suggestion.label', 'Suggested reply')}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Flex gap={2} wrap="wrap">
          <Typography variant="sigma">{t('inbox.suggestion.title', 'Suggested reply')}</Typography>
          <Badge>{t('inbox.suggestion.confidence', 'confidence {value}%', { value: Math.round(suggestion.confidence * 100) })}</Badge>
          {!suggestion.grounded && <Badge active>{t('inbox.suggestion.ungrounded', 'check the figures: not all are in the sources')}</Badge>}
        </Flex>
        {suggestion.handoff ? (
          <Typography textColor="neutral700">{t('inbox.suggestion.handoff', 'No draft — a person should answer: {reason}', { reason: suggestion.handoff.reason })}</Typography>
        ) : (
          <Typography style={{ whiteSpace: 'pre-wrap' }} data-testid="suggestion-text">
            {suggestion.text}
          </Typography>
        )}
        {suggestion.citations.length > 0 && (
          <Flex tag="ul" direction="column" alignItems="stretch" gap={1} aria-label={t('inbox.suggestion.sources', 'Sources')}>
            {suggestion.citations.map((c, i) => (
              <Typography key={`${c.sourceId}-${i}`} tag="li" variant="pi" textColor="neutral600" title={c.excerpt}>
                {t('inbox.suggestion.source', 'Source: {title}', { title: c.title })}
              </Typography>
            ))}
          </Flex>
        )}
        <Flex gap={2} justifyContent="flex-end">
          <Button variant="tertiary" size="S" onClick={onReject}>
            {t('inbox.suggestion.reject', 'Reject')}
          </Button>
          {!suggestion.handoff && (
            <Button size="S" onClick={onUse}>
              {t('inbox.suggestion.use', 'Use this reply')}
            </Button>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};
