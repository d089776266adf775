import * as React from 'react';
import { Box, Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import type { HostContentType } from '../../../contracts/host';
import type { Firing, NotificationRule } from '../../../contracts/notifications';
import { useErrorMessage, useListFiringsQuery, useListRecordsQuery, useTestRuleMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { FiringCard } from './FiringCard';
import { recordLabel, templateKey } from './form';
import { useApprovedTemplates } from './useTemplates';

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
  const messageOf = useErrorMessage();
  const templates = useApprovedTemplates(rule.numberId);
  const template = templates.templates.find((tpl) => templateKey(tpl) === templateKey(rule.template));
  const recordsQuery = useListRecordsQuery({ uid: rule.contentType, pageSize: RECORDS });
  const records = { status: recordsQuery.isError ? 'error' : recordsQuery.data ? 'ready' : 'loading', rows: recordsQuery.data ?? [] };
  const [testRule, { isLoading: sending }] = useTestRuleMutation();
  const [documentId, setDocumentId] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [sent, setSent] = React.useState<Firing | null>(null);

  // The newest record is chosen until the user picks one.
  const newest = recordsQuery.data?.[0]?.documentId;
  React.useEffect(() => {
    if (newest) setDocumentId((d) => d || newest);
  }, [newest]);

  // The firing answers once queued; its message's status comes by webhook: follow it until it settles.
  const settled = (f: Firing | null | undefined) => SETTLED.includes(f?.trace?.message?.status ?? '');
  const recent = useListFiringsQuery({ ruleId: rule.id, limit: 5 }, { skip: !sent || sent.state !== 'queued' || settled(sent), pollingInterval: POLL_MS });
  const fresh = sent ? recent.data?.find((f) => f.id === sent.id) : undefined;
  const result = fresh ?? sent;
  React.useEffect(() => {
    if (fresh && settled(fresh)) setSent(fresh);
  }, [fresh]); // eslint-disable-line react-hooks/exhaustive-deps

  const send = async () => {
    if (!documentId.trim() || sending) return;
    setError(null);
    setSent(null);
    try {
      setSent(await testRule({ ruleId: rule.id, body: { documentId: documentId.trim() } }).unwrap());
    } catch (e) {
      setError(messageOf(e));
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
            <FormField name="record" label={t('notifications.test.record', 'Record')} hint={records.status === 'error' ? t('notifications.test.recordsError', 'Could not list the records: enter a documentId below.') : undefined}>
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
            </FormField>
            <FormField name="documentId" label={t('notifications.test.documentId', 'documentId')}>
              <Field.Input value={documentId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDocumentId(e.target.value)} autoComplete="off" />
            </FormField>
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
