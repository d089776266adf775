import * as React from 'react';
import { Button, Field, Flex, Modal, Textarea } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { QuickReply, SaveQuickReply } from '../../../contracts/quick-replies';
import { useNotifyError, useSaveQuickReplyMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { fieldErrorsOf, type FieldErrors } from './fieldErrors';

/** Add or edit one quick reply. Mount it only while open. */
export const QuickReplyFormModal = ({
  reply,
  onClose,
  onSaved,
}: {
  reply: QuickReply | null;
  onClose: () => void;
  onSaved: (saved: QuickReply, mode: 'create' | 'edit') => void;
}) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [save, { isLoading: submitting }] = useSaveQuickReplyMutation();
  const [name, setName] = React.useState(reply?.name ?? '');
  const [text, setText] = React.useState(reply?.text ?? '');
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const mode = reply ? 'edit' : 'create';

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    setErrors({});
    try {
      const body: SaveQuickReply.Request = { name: name.trim(), text };
      const saved = await save({ id: reply?.id ?? null, body }).unwrap();
      toggleNotification({
        type: 'success',
        message: reply ? t('quickReplies.updated', 'Quick reply saved.') : t('quickReplies.created', 'Quick reply added.'),
      });
      onSaved(saved, mode);
    } catch (error) {
      setErrors(fieldErrorsOf(error) ?? {});
      notifyError(error);
    }
  };

  const title = reply
    ? t('quickReplies.form.edit', 'Edit /{name}', { name: reply.name })
    : t('quickReplies.form.create', 'Add a quick reply');
  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content>
        <form noValidate onSubmit={submit} aria-label={title}>
          <Modal.Header closeLabel={t('quickReplies.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <FormField
                name="name"
                label={t('quickReplies.form.name', 'Name')}
                error={errors.name}
                required
                hint={t('quickReplies.form.name.hint', 'Typed as /name in the inbox. Lower-case letters, digits, - and _.')}
              >
                <Field.Input
                  value={name}
                  maxLength={50}
                  autoComplete="off"
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)}
                />
              </FormField>
              <FormField name="text" label={t('quickReplies.form.text', 'Text')} error={errors.text} required>
                <Textarea value={text} maxLength={4096} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)} />
              </FormField>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" disabled={submitting}>
                {t('quickReplies.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('quickReplies.save', 'Save')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
