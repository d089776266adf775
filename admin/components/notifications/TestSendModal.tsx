import * as React from 'react';
import { Box, Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { isFetchError, useAPIErrorHandler, useFetchClient } from '@strapi/strapi/admin';
import type { HostContentType } from '../../../contracts/host';
import type { Firing, NotificationRule } from '../../../contracts/notifications';
import { useTranslate } from '../../hooks/useTranslate';
import { FiringCard } from './FiringCard';
import { recordLabel, templateKey } from './form';
import { useApprovedTemplates } from './useTemplates';

type RecordRow = Record<string, unknown> & { documentId: string };

const RECORDS = 20;
const POLL_MS = 2_000;
const SETTLED = ['sent', 'delivered', 'read', 'failed'];

/**
 * Runs a rule against a record now (its condition included): the record is picked from the newest
 * ones the Content Manager lists, or by documentId, and the answer shows the rendered template and
 * the send's outcome as it arrives.
 */
export const TestSendModal = ({ rule, type, onClose }: { rule: NotificationRule; type: HostContentType | undefined; onClose: () => void }) => {
  const t = useTranslate();
  const { get, post } = useFetchClient();
  const { formatAPIError } = useAPIErrorHandler();
  const templates = useApprovedTemplates(rule.numberId);
  const template = templates.templates.find((tpl) => templateKey(tpl) === templateKey(rule.template));

  const [records, setRecords] = React.useState<{ status: 'loading' | 'error' | 'ready'; rows: RecordRow[] }>({ status: 'loading', rows: [] });
  const [documentId, setDocumentId] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [result, setResult] = React.useState<Firing | null>(null);

  React.useEffect(() => {
    let live = true;
    get<{ results: RecordRow[] }>(`/content-manager/collection-types/${rule.contentType}?page=1&pageSize=${RECORDS}&sort=updatedAt:DESC`)
      .then((res) => {
        if (!live) return;
        setRecords({ status: 'ready', rows: res.data.results });
        if (res.data.results[0]) setDocumentId((d) => d || res.data.results[0].documentId);
      })
      .catch(() => live && setRecords({ status: 'error', rows: [] }));
    return () => {
      live = false;
    };
  }, [get, rule.contentType]);

  // The firing answers once queued; its message's status comes by webhook: follow it a little while.
  React.useEffect(() => {
    if (!result || result.state !== 'queued' || SETTLED.includes(result.trace?.message?.status ?? '')) return;
    const timer = setTimeout(async () => {
      try {
        const res = await get<{ data: Firing[] }>(`/whatsapp/notification-rules/${rule.id}/firings?limit=5`);
        const fresh = res.data.data.find((f) => f.id === result.id);
        if (fresh) setResult(fresh);
      } catch {
        // Keep what we have; the firings view has the rest.
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [get, result, rule.id]);

  const send = async () => {
    if (!documentId.trim() || sending) return;
    setSending(true);
    setError(null);
    setResult(null);
    try {
      const res = await post<{ data: Firing }>(`/whatsapp/notification-rules/${rule.id}/test`, { documentId: documentId.trim() });
      setResult(res.data.data);
    } catch (e) {
      setError(isFetchError(e) ? formatAPIError(e) : t('notifications.notification.error', 'Something went wrong. Try again.'));
    } finally {
      setSending(false);
    }
  };

  const typeName = type?.displayName ?? rule.contentType;

  return (
    <Modal.Root open onOpenChange={(open) => !open && !sending && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('notifications.form.close', 'Close')}>
          <Modal.Title>{t('notifications.test.title', 'Test {name}', { name: rule.name })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Typography variant="pi" textColor="neutral600">
              {t('notifications.test.hint', 'Runs the rule now for one {type}, condition included, and really sends the template to the recipient.', { type: typeName })}
            </Typography>
            <Field.Root name="record" width="100%" hint={records.status === 'error' ? t('notifications.test.recordsError', 'Could not list the records: enter a documentId below.') : undefined}>
              <Field.Label>{t('notifications.test.record', 'Record')}</Field.Label>
              <SingleSelect
                value={records.rows.some((r) => r.documentId === documentId) ? documentId : null}
                onChange={(v) => setDocumentId(String(v))}
                disabled={records.status !== 'ready' || !records.rows.length}
                placeholder={
                  records.status === 'loading'
                    ? t('notifications.test.recordsLoading', 'Loading records…')
                    : records.rows.length
                      ? t('notifications.test.recordPlaceholder', 'Choose a record')
                      : t('notifications.test.recordsNone', 'No {type} yet', { type: typeName })
                }
              >
                {records.rows.map((r) => (
                  <SingleSelectOption key={r.documentId} value={r.documentId}>
                    {recordLabel(r)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
            <Field.Root name="documentId" width="100%">
              <Field.Label>{t('notifications.test.documentId', 'documentId')}</Field.Label>
              <Field.Input value={documentId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDocumentId(e.target.value)} autoComplete="off" />
            </Field.Root>
            {error && (
              <Typography textColor="danger600" role="alert">
                {error}
              </Typography>
            )}
            {result && (
              <Box tag="ul" aria-label={t('notifications.test.result', 'Test result')}>
                <FiringCard firing={result} template={template} />
              </Box>
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary" disabled={sending}>
              {t('notifications.form.close', 'Close')}
            </Button>
          </Modal.Close>
          <Button startIcon={<PaperPlane />} onClick={send} loading={sending} disabled={!documentId.trim()}>
            {t('notifications.test.send', 'Send test')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
