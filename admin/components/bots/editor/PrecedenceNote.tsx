import { Box, Flex, Typography } from '@strapi/design-system';
import { BOT_PRECEDENCE, type BotStage } from '../../../../contracts/bots';
import { useTranslate } from '../../../hooks/useTranslate';
import { stageLabel } from '../messages';

/** The one order bots are tried in (the contract's), with this bot's stage marked. */
export const PrecedenceNote = ({ stage }: { stage: BotStage | null }) => {
  const t = useTranslate();
  return (
    <Box background="neutral100" hasRadius padding={3}>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {t('bots.precedence.title', 'Which bot answers')}
      </Typography>
      <Typography variant="pi" textColor="neutral600" tag="p">
        {t('bots.precedence.help', 'A message goes down this list; the first stage with a matching bot answers. Within a stage, the bot higher in the list wins.')}
      </Typography>
      <Flex tag="ol" direction="column" alignItems="stretch" gap={1} paddingTop={2} aria-label={t('bots.precedence.label', 'Precedence')} style={{ paddingLeft: '1.6rem' }}>
        {BOT_PRECEDENCE.map((s) => (
          <li key={s} aria-current={s === stage ? 'step' : undefined}>
            <Typography variant="pi" fontWeight={s === stage ? 'bold' : 'regular'} textColor={s === stage ? 'primary700' : 'neutral700'}>
              {stageLabel(t, s)}
              {s === stage ? ` ← ${t('bots.precedence.this', 'this bot')}` : ''}
            </Typography>
          </li>
        ))}
      </Flex>
      {stage === null && (
        <Typography variant="pi" textColor="primary700" tag="p">
          {t('bots.precedence.timed', 'This bot is timed: it fires when time passes or the conversation closes, not on a message.')}
        </Typography>
      )}
    </Box>
  );
};
