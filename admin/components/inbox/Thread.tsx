import * as React from 'react';
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import type { Conversation, Message } from '../../../contracts/inbox';
import type { WhatsAppTemplate } from '../../../contracts/templates';
import type { TemplateParams } from '../../../contracts/templates';
import { useTranslate, type Translate } from '../../hooks/useTranslate';
import { previewOf, previewText, valuesFromParams } from './composer/templateValues';
import { MediaPreview, isMedia } from './thread/MediaPreview';
import { SharedCard, isShared } from './thread/SharedCard';
import { useNumberTemplates } from './thread/useNumberTemplates';

const statusText = (t: Translate, m: Message) => {
  switch (m.status) {
    case 'queued':
    case 'sending':
      return t('inbox.status.queued', '🕓 Sending');
    case 'sent':
      return t('inbox.status.sent', '✓ Sent');
    case 'delivered':
      return t('inbox.status.delivered', '✓✓ Delivered');
    case 'read':
      return t('inbox.status.read', '✓✓ Read');
    case 'failed':
      return m.errorText
        ? t('inbox.status.failedWith', '✕ Failed: {error}', { error: m.errorText })
        : t('inbox.status.failed', '✕ Failed');
    case 'review':
      return t('inbox.status.review', '⚠ Not sure it was sent: check with the customer');
    default:
      return m.status;
  }
};

const time = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

type StoredTemplate = { name?: string; language?: string; params?: TemplateParams } | null;

const templateOf = (m: Message) => (m.template && typeof m.template === 'object' ? (m.template as StoredTemplate) : null);

/** A template message as the customer read it, when the template is known here. */
const templateBody = (m: Message, templates: WhatsAppTemplate[]) => {
  const sent = templateOf(m);
  const template = sent && templates.find((x) => x.name === sent.name && x.language === sent.language);
  if (!sent || !template) return null;
  return previewText(previewOf(template, valuesFromParams(template, sent.params)));
};

const body = (t: Translate, m: Message, templates: WhatsAppTemplate[]) => {
  if (m.type === 'template') return templateBody(m, templates) ?? m.text ?? t('inbox.message.template', '[Template]');
  if (m.text) return m.text;
  if (isMedia(m)) return null;
  return t('inbox.message.other', '[{type}]', { type: m.type });
};

const shorten = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The message a reply quotes, as WhatsApp shows it above the reply. */
const Quote = ({ quoted, templates }: { quoted: Message | undefined; templates: WhatsAppTemplate[] }) => {
  const t = useTranslate();
  const text = quoted ? body(t, quoted, templates) ?? t('inbox.message.other', '[{type}]', { type: quoted.type }) : t('inbox.thread.quoteMissing', 'An earlier message');
  return (
    <Box
      tag="blockquote"
      aria-label={t('inbox.thread.quote', 'In reply to')}
      background="neutral100"
      hasRadius
      padding={2}
      marginBottom={1}
      borderColor={quoted?.direction === 'out' ? 'success600' : 'primary600'}
      borderStyle="solid"
      style={{ borderWidth: '0 0 0 3px', margin: '0 0 4px 0' }}
    >
      <Typography variant="pi" fontWeight="semiBold" textColor="neutral700">
        {quoted ? (quoted.direction === 'out' ? t('inbox.thread.you', 'You') : t('inbox.thread.customer', 'Customer')) : ''}
      </Typography>
      <Typography tag="p" variant="pi" textColor="neutral700" style={{ whiteSpace: 'pre-wrap' }}>
        {shorten(text)}
      </Typography>
    </Box>
  );
};

/** The buttons, list button or link an interactive message offered, as the customer sees them under it. */
const OfferedActions = ({ interactive }: { interactive: NonNullable<Message['interactive']> }) => {
  const t = useTranslate();
  const labels = interactive.buttons?.length
    ? interactive.buttons.map((b) => b.title)
    : [interactive.buttonText ?? interactive.displayText ?? interactive.url].filter((x): x is string => Boolean(x));
  return (
    <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2} role="group" aria-label={t('inbox.thread.offered', 'Buttons offered')}>
      {interactive.footer && (
        <Typography variant="pi" textColor="neutral600">
          {interactive.footer}
        </Typography>
      )}
      {labels.map((label, i) => (
        <Box key={`${label}-${i}`} background="neutral0" hasRadius padding={1} style={{ textAlign: 'center' }}>
          <Typography variant="pi" fontWeight="semiBold" textColor="primary600">
            {label}
          </Typography>
        </Box>
      ))}
    </Flex>
  );
};

/** The current reaction of each side on each message: the latest wins, an empty emoji removes it. */
const reactionsByTarget = (messages: Message[]) => {
  const byTarget = new Map<string, Map<string, string>>();
  for (const m of messages) {
    if (m.type !== 'reaction' || !m.replyToProviderId) continue;
    const sides = byTarget.get(m.replyToProviderId) ?? new Map<string, string>();
    if (m.text) sides.set(m.direction, m.text);
    else sides.delete(m.direction);
    byTarget.set(m.replyToProviderId, sides);
  }
  return byTarget;
};

export interface ThreadProps {
  conversation: Conversation;
  messages: Message[];
}

/** Messages oldest first, customer on the left, the business on the right. */
export const Thread = ({ conversation, messages }: ThreadProps) => {
  const t = useTranslate();
  const templates = useNumberTemplates(conversation.numberId);
  const end = React.useRef<HTMLDivElement>(null);
  const last = messages.length ? `${messages[messages.length - 1].id}:${messages.length}` : '';
  React.useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [last]);

  const byProviderId = React.useMemo(() => new Map(messages.filter((m) => m.providerMessageId).map((m) => [m.providerMessageId!, m])), [messages]);
  const reactions = React.useMemo(() => reactionsByTarget(messages), [messages]);

  if (!messages.length) {
    return (
      <Box padding={6}>
        <Typography textColor="neutral600">{t('inbox.thread.empty', 'No messages in this conversation yet.')}</Typography>
      </Box>
    );
  }
  return (
    <Flex tag="ol" role="log" aria-label={t('inbox.thread.label', 'Messages')} direction="column" alignItems="stretch" gap={2} padding={4} style={{ listStyle: 'none', margin: 0 }}>
      {messages.map((m) => {
        const out = m.direction === 'out';
        if (m.type === 'reaction') {
          // Shown on the message it reacts to; only a reaction to a message outside the list stands alone.
          if (m.replyToProviderId && byProviderId.has(m.replyToProviderId)) return null;
          if (!m.text) return null;
          return (
            <Flex tag="li" key={m.id} justifyContent={out ? 'flex-end' : 'flex-start'} data-direction={m.direction} style={{ listStyle: 'none' }}>
              <Typography variant="pi" textColor="neutral600">
                {t('inbox.thread.reactedEarlier', 'Reacted {emoji} to an earlier message', { emoji: m.text })}
              </Typography>
            </Flex>
          );
        }
        const quoted = m.replyToProviderId ? byProviderId.get(m.replyToProviderId) : undefined;
        const text = body(t, m, templates);
        const sent = m.type === 'template' ? templateOf(m) : null;
        const emojis = m.providerMessageId ? [...(reactions.get(m.providerMessageId)?.entries() ?? [])] : [];
        return (
          <Flex tag="li" key={m.id} direction="column" alignItems={out ? 'flex-end' : 'flex-start'} data-direction={m.direction} data-type={m.type} style={{ listStyle: 'none' }}>
            <Box
              background={out ? 'success100' : 'neutral0'}
              hasRadius
              shadow="filterShadow"
              paddingTop={2}
              paddingBottom={2}
              paddingLeft={3}
              paddingRight={3}
              style={{ maxWidth: 'min(85%, 42rem)', minWidth: 0, overflowWrap: 'anywhere' }}
            >
              {m.replyToProviderId && <Quote quoted={quoted} templates={templates} />}
              {m.bot && (
                <Box paddingBottom={1} data-testid="bot-mark" title={m.source === 'ai' ? t('inbox.thread.aiTitle', 'Answered automatically by the AI assistant') : t('inbox.thread.botTrigger', 'Sent by a bot (trigger: {trigger})', { trigger: m.bot.trigger })}>
                  <Badge backgroundColor="alternative100" textColor="alternative700">
                    {m.source === 'ai' ? m.bot.name : t('inbox.thread.botBadge', 'Bot · {name}', { name: m.bot.name })}
                  </Badge>
                </Box>
              )}
              {sent && (
                <Box paddingBottom={1}>
                  <Badge>{t('inbox.thread.templateBadge', 'Template · {name}', { name: sent.name ?? '' })}</Badge>
                </Box>
              )}
              {isMedia(m) && (
                <Box paddingBottom={text ? 1 : 0}>
                  <MediaPreview message={m} />
                </Box>
              )}
              {isShared(m) && <SharedCard message={m} />}
              {text && !isShared(m) && (
                <Typography tag="p" textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }}>
                  {text}
                </Typography>
              )}
              {m.interactive && <OfferedActions interactive={m.interactive} />}
              <Flex justifyContent="flex-end" gap={2} paddingTop={1} wrap="wrap">
                <Typography variant="pi" textColor="neutral500">
                  {time(m.sentAt ?? m.createdAt)}
                </Typography>
                {out && (
                  <Typography variant="pi" textColor={m.status === 'failed' ? 'danger600' : m.status === 'read' ? 'primary600' : 'neutral600'} data-testid="message-status">
                    {statusText(t, m)}
                  </Typography>
                )}
              </Flex>
            </Box>
            {emojis.length > 0 && (
              <Flex gap={1} marginTop={-1} aria-label={t('inbox.thread.reactions', 'Reactions')} role="group">
                {emojis.map(([side, emoji]) => (
                  <Box
                    key={side}
                    background="neutral0"
                    shadow="filterShadow"
                    hasRadius
                    paddingLeft={1}
                    paddingRight={1}
                    title={side === 'in' ? t('inbox.thread.customerReacted', 'The customer reacted') : t('inbox.thread.youReacted', 'You reacted')}
                  >
                    <Typography>{emoji}</Typography>
                  </Box>
                ))}
              </Flex>
            )}
          </Flex>
        );
      })}
      <div ref={end} />
    </Flex>
  );
};
