import * as React from 'react';
import { Badge, Box, Button, Checkbox, Field, Flex, Typography } from '@strapi/design-system';
import type { BotOutgoing, TestBots } from '../../../contracts/bot-api';
import { useNotifyError, useTestBotsMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { responseLabel, stageLabel, triggerLabel } from './messages';

type Result = TestBots.Response['data'];

/** What would be sent, as the customer's phone shows it: the text, and the buttons or list under it. */
const Outgoing = ({ outgoing }: { outgoing: BotOutgoing }) => {
  const t = useTranslate();
  const i = outgoing.interactive;
  const offered = i?.buttons?.map((b) => b.title) ?? (i?.buttonText ? [i.buttonText] : []);
  return (
    <Flex direction="column" alignItems="flex-end" gap={2}>
      <Box background="success100" hasRadius shadow="filterShadow" padding={3} style={{ maxWidth: 'min(100%, 36rem)', overflowWrap: 'anywhere' }} data-testid="preview-reply">
        <Typography tag="p" textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }}>
          {i ? i.body : outgoing.text ?? `[${outgoing.kind}]`}
        </Typography>
        {offered.length > 0 && (
          <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2} role="group" aria-label={t('bots.preview.buttons', 'Buttons offered')}>
            {offered.map((label, n) => (
              <Box key={`${label}-${n}`} background="neutral0" hasRadius padding={1} style={{ textAlign: 'center' }}>
                <Typography variant="pi" fontWeight="semiBold" textColor="primary600">
                  {label}
                </Typography>
              </Box>
            ))}
          </Flex>
        )}
        {i?.sections?.map((s, n) => (
          <Box key={n} paddingTop={2}>
            {s.title && <Typography variant="sigma">{s.title}</Typography>}
            {s.rows.map((r) => (
              <Typography key={r.id} tag="p" variant="pi" textColor="neutral700">
                • {r.title}
                {r.description ? ` — ${r.description}` : ''}
              </Typography>
            ))}
          </Box>
        ))}
      </Box>
      {i && outgoing.text && (
        <Typography variant="pi" textColor="neutral600" style={{ whiteSpace: 'pre-wrap', alignSelf: 'stretch' }}>
          {t('bots.preview.numbered', 'Where the provider has no buttons or lists: {text}', { text: outgoing.text })}
        </Typography>
      )}
    </Flex>
  );
};

/** Why the engine answered (or not) and which bots it looked at. */
const Outcome = ({ result }: { result: Result }) => {
  const t = useTranslate();
  return (
    <Flex direction="column" alignItems="stretch" gap={3} role="status" aria-label={t('bots.preview.result', 'Preview result')}>
      {result.fired ? (
        <Box>
          <Typography tag="p" fontWeight="bold" data-testid="preview-fired">
            {t('bots.preview.fired', '“{name}” answers', { name: result.fired.name })}
          </Typography>
          <Flex gap={2} wrap="wrap" paddingTop={1}>
            <Badge>{triggerLabel(t, result.fired.trigger)}</Badge>
            <Badge>{stageLabel(t, result.fired.stage)}</Badge>
            {result.response && <Badge>{responseLabel(t, result.response.type)}</Badge>}
          </Flex>
          <Typography tag="p" variant="pi" textColor="neutral700" data-testid="preview-why">
            {result.fired.why}
          </Typography>
        </Box>
      ) : (
        <Typography tag="p" fontWeight="bold" data-testid="preview-stopped">
          {t('bots.preview.none', 'No bot answers: {why}', { why: result.stopped?.why ?? t('bots.preview.noMatch', 'no bot matched') })}
        </Typography>
      )}
      {result.outgoing && <Outgoing outgoing={result.outgoing} />}
      {result.considered.length > 0 && (
        <details>
          <summary>
            <Typography variant="pi">{t('bots.preview.considered', 'Bots looked at ({n})', { n: result.considered.length })}</Typography>
          </summary>
          <Flex tag="ul" direction="column" alignItems="stretch" gap={1} paddingTop={1} style={{ paddingLeft: '1.6rem' }}>
            {result.considered.map((c) => (
              <li key={c.botId}>
                <Typography variant="pi" textColor={c.matched ? 'success700' : 'neutral700'}>
                  {c.matched ? '✓' : '✕'} {c.name} ({stageLabel(t, c.stage)}): {c.why}
                </Typography>
              </li>
            ))}
          </Flex>
        </details>
      )}
    </Flex>
  );
};

/** "Type a message as the customer": the runtime's engine on the number's saved bots, nothing sent. */
export const BotPreview = ({ numberId, note }: { numberId: number; note?: string }) => {
  const t = useTranslate();
  const notifyError = useNotifyError();
  const [test, { isLoading }] = useTestBotsMutation();
  const [text, setText] = React.useState('');
  const [firstMessage, setFirstMessage] = React.useState(false);
  const [newSession, setNewSession] = React.useState(false);
  const [result, setResult] = React.useState<Result | null>(null);

  const run = async () => {
    if (!text.trim() || isLoading) return;
    try {
      setResult(await test({ numberId, text, firstMessage, newSession }).unwrap());
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Box tag="section" aria-label={t('bots.preview.title', 'Try it as the customer')} background="neutral100" hasRadius padding={4}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          {t('bots.preview.title', 'Try it as the customer')}
        </Typography>
        {note && (
          <Typography variant="pi" textColor="neutral600">
            {note}
          </Typography>
        )}
        <Flex gap={2} alignItems="flex-end" wrap="wrap">
          <Box flex="1 1 16rem" minWidth={0}>
            <Field.Root name="preview-text" width="100%">
              <Field.Label>{t('bots.preview.text', 'Type a message as the customer')}</Field.Label>
              <Field.Input
                value={text}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setText(e.target.value)}
                // Enter tries the message; inside the editor it must not save the bot.
                onKeyDown={(e: React.KeyboardEvent) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void run();
                  }
                }}
                autoComplete="off"
              />
            </Field.Root>
          </Box>
          <Button type="button" variant="secondary" onClick={run} loading={isLoading} disabled={!text.trim()}>
            {t('bots.preview.try', 'Try')}
          </Button>
        </Flex>
        <Flex gap={4} wrap="wrap">
          <Checkbox checked={firstMessage} onCheckedChange={(v: boolean | 'indeterminate') => setFirstMessage(v === true)}>
            {t('bots.preview.firstMessage', 'Their first message ever')}
          </Checkbox>
          <Checkbox checked={newSession} onCheckedChange={(v: boolean | 'indeterminate') => setNewSession(v === true)}>
            {t('bots.preview.newSession', 'A new 24-hour session')}
          </Checkbox>
        </Flex>
        {result && <Outcome result={result} />}
      </Flex>
    </Box>
  );
};
