import * as React from 'react';
import { Badge, Box, Button, Flex, Loader, Modal, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useErrorMessage, useGetWebhookLogQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { stateName, stateTone } from './messages';

/** JSON bodies are shown indented; anything else exactly as stored. */
const pretty = (raw: string) => {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
};

const Code = ({ children, label }: { children: React.ReactNode; label: string }) => (
  <Box
    tag="pre"
    aria-label={label}
    background="neutral100"
    hasRadius
    padding={3}
    style={{ overflow: 'auto', maxHeight: '40vh', fontSize: '1.2rem', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}
  >
    {children}
  </Box>
);

/** One stored webhook call: its state, the headers that were kept and the raw body. */
export const WebhookDetailModal = ({
  id,
  numberLabel,
  onClose,
}: {
  id: number;
  numberLabel: (id: number | null) => string;
  onClose: () => void;
}) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const messageOf = useErrorMessage();
  const query = useGetWebhookLogQuery(id);
  const detail = query.data ?? null;
  const error = query.error ? messageOf(query.error) : null;

  const title = t('logs.detail.title', 'Webhook call #{id}', { id });
  const headers = detail ? Object.entries(detail.headers ?? {}) : [];

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content aria-label={title}>
        <Modal.Header closeLabel={t('logs.detail.close', 'Close')}>
          <Modal.Title>{title}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {error ? (
            <Typography textColor="danger600">{error}</Typography>
          ) : !detail ? (
            <Flex justifyContent="center" padding={6}>
              <Loader>{t('logs.loading', 'Loading…')}</Loader>
            </Flex>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Flex gap={2} wrap="wrap" alignItems="center">
                <Badge {...stateTone(detail.state)}>{stateName(t, detail.state)}</Badge>
                <Typography variant="pi" textColor="neutral600">
                  {numberLabel(detail.numberId)} · {formatDate(detail.receivedAt, { dateStyle: 'medium', timeStyle: 'medium' })}
                  {detail.signatureOk === false ? ` · ${t('logs.detail.badSignature', 'signature did not match')}` : ''}
                </Typography>
              </Flex>
              {detail.lastError && (
                <Typography textColor="danger600" style={{ overflowWrap: 'anywhere' }}>
                  {detail.lastError}
                </Typography>
              )}
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="sigma" textColor="neutral600">
                  {t('logs.detail.headers', 'Headers')}
                </Typography>
                {headers.length ? (
                  <Code label={t('logs.detail.headers', 'Headers')}>{headers.map(([k, v]) => `${k}: ${v}`).join('\n')}</Code>
                ) : (
                  <Typography variant="pi" textColor="neutral500">
                    {t('logs.detail.noHeaders', 'No headers kept.')}
                  </Typography>
                )}
              </Flex>
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="sigma" textColor="neutral600">
                  {t('logs.detail.body', 'Raw body')}
                  {detail.bodyEncoding === 'base64' ? ` (${t('logs.detail.base64', 'base64: not valid UTF-8')})` : ''}
                </Typography>
                {detail.rawBody ? (
                  <Code label={t('logs.detail.body', 'Raw body')}>
                    {detail.bodyEncoding === 'utf8' ? pretty(detail.rawBody) : detail.rawBody}
                  </Code>
                ) : (
                  <Typography variant="pi" textColor="neutral500">
                    {t('logs.detail.noBody', 'Empty body.')}
                  </Typography>
                )}
              </Flex>
            </Flex>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('logs.detail.close', 'Close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
