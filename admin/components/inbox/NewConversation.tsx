import * as React from 'react';
import { Button, Field, Flex, Loader, Modal, Radio, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useNotification, useRBAC } from '@strapi/strapi/admin';
import type { Recipient } from '../../../contracts/host';
import type { Conversation } from '../../../contracts/inbox';
import { useGetDefaultNumberQuery, useNotifyError, useStartConversationMutation } from '../../api';
import { useIdempotencyKey } from '../../hooks/useIdempotencyKey';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { RecipientSearch } from './composer/RecipientSearch';
import { useSendOptions } from './composer/useSendOptions';
import { EMPTY_CHOICE, TemplatePicker, choiceReady, templateRequest, type TemplateChoice } from './composer/TemplatePicker';

export interface NewConversationButtonProps {
  /** Called with the conversation the API started (or found), so the page can open it. */
  onStarted: (conversation: Conversation) => void;
}

const NewConversationModal = ({ onClose, onStarted }: NewConversationButtonProps & { onClose: () => void }) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [start] = useStartConversationMutation();
  const { keyFor } = useIdempotencyKey();
  const sendOptions = useSendOptions();
  const { status, options: numbers } = sendOptions;
  const [numberId, setNumberId] = React.useState<number | null>(null);
  const [mode, setMode] = React.useState<'phone' | 'record'>('phone');
  const [to, setTo] = React.useState('');
  const [record, setRecord] = React.useState<Recipient | null>(null);
  const [choice, setChoice] = React.useState<TemplateChoice>(EMPTY_CHOICE);
  const [sending, setSending] = React.useState(false);

  // Without it the modal falls back to its own choice (the only number).
  const { data: defaultNumberId = null } = useGetDefaultNumberQuery();
  // One number: nothing to choose; else the settings' default number, when the user may send from it.
  React.useEffect(() => {
    if (numbers.length === 1) setNumberId(numbers[0].numberId);
    else if (defaultNumberId !== null && numbers.some((n) => n.numberId === defaultNumberId)) setNumberId((current) => current ?? defaultNumberId);
  }, [numbers, defaultNumberId]);

  const recipient = mode === 'phone' ? (to.trim() ? { to: to.trim() } : null) : record ? { record: { uid: record.uid, documentId: record.documentId } } : null;
  const ready = numberId !== null && recipient !== null && choiceReady(choice);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready || sending) return;
    setSending(true);
    try {
      const body = { numberId, ...recipient, template: templateRequest(choice) };
      const conversation = await start({ ...body, idempotencyKey: keyFor(body) }).unwrap();
      toggleNotification({ type: 'success', message: t('inbox.new.started', 'Template sent. The conversation is open.') });
      onClose();
      onStarted(conversation);
    } catch (error) {
      notifyError(error);
      setSending(false);
    }
  };

  const title = t('inbox.new.title', 'New conversation');
  let content: React.ReactNode;
  if (status === 'loading') {
    content = (
      <Flex justifyContent="center" padding={4}>
        <Loader small>{t('inbox.new.loading', 'Loading numbers…')}</Loader>
      </Flex>
    );
  } else if (status === 'error') {
    content = <Typography textColor="danger600">{t('inbox.new.numbersError', 'Your numbers could not be loaded. Try again.')}</Typography>;
  } else if (!numbers.length) {
    content = <Typography textColor="neutral600">{t('inbox.new.noNumbers', 'No active WhatsApp number you may write from. An admin adds numbers and their teams in the settings.')}</Typography>;
  } else {
    content = (
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Field.Root name="numberId" required>
          <Field.Label>{t('inbox.new.number', 'From')}</Field.Label>
          <SingleSelect
            value={numberId === null ? undefined : String(numberId)}
            placeholder={t('inbox.new.numberPlaceholder', 'Choose a number')}
            disabled={sending}
            onChange={(value) => {
              setNumberId(Number(value));
              setChoice(EMPTY_CHOICE);
            }}
          >
            {numbers.map((n) => (
              <SingleSelectOption key={n.numberId} value={String(n.numberId)}>
                {`${n.label} (${n.phone})`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="recipientMode">
          <Field.Label>{t('inbox.new.recipient', 'Send to')}</Field.Label>
          <Radio.Group value={mode} onValueChange={(v: string) => setMode(v as 'phone' | 'record')} aria-label={t('inbox.new.recipient', 'Send to')} disabled={sending}>
            <Flex gap={4} wrap="wrap">
              <Radio.Item value="phone">{t('inbox.new.modePhone', 'A phone number')}</Radio.Item>
              <Radio.Item value="record">{t('inbox.new.modeRecord', 'A lead or contact')}</Radio.Item>
            </Flex>
          </Radio.Group>
        </Field.Root>
        {mode === 'phone' ? (
          <Field.Root name="to" required hint={t('inbox.new.toHint', 'International format with country code, e.g. +15550002222.')}>
            <Field.Label>{t('inbox.new.to', 'Phone number')}</Field.Label>
            <TextInput type="tel" autoComplete="off" value={to} maxLength={32} disabled={sending} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
            <Field.Hint />
          </Field.Root>
        ) : (
          <RecipientSearch value={record} onChange={setRecord} disabled={sending} />
        )}
        <TemplatePicker numberId={numberId} sendOptions={sendOptions} value={choice} onChange={setChoice} disabled={sending} />
      </Flex>
    );
  }

  return (
    <Modal.Root open onOpenChange={(open) => !open && !sending && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} aria-label={title} noValidate>
          <Modal.Header closeLabel={t('inbox.modal.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>{content}</Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={sending}>
                {t('inbox.modal.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={sending} disabled={!ready}>
              {t('inbox.new.submit', 'Start conversation')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};

/**
 * "New conversation": a template to a phone number or to a CRM record's phone. Only for users who may send (inbox.send);
 * others see nothing.
 */
export const NewConversationButton = ({ onStarted }: NewConversationButtonProps) => {
  const t = useTranslate();
  const { isLoading, allowedActions } = useRBAC(PERMISSIONS.sendMessages);
  const [open, setOpen] = React.useState(false);
  if (isLoading || !allowedActions.canSend) return null;
  return (
    <>
      <Button startIcon={<Plus />} size="S" onClick={() => setOpen(true)}>
        {t('inbox.new.open', 'New conversation')}
      </Button>
      {open && <NewConversationModal onClose={() => setOpen(false)} onStarted={onStarted} />}
    </>
  );
};
