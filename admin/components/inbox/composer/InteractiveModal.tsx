import * as React from 'react';
import { Button, Field, Flex, Modal, TextInput, Textarea, Typography } from '@strapi/design-system';
import type { ReplyRequest } from '../../../../contracts/inbox';
import { useTranslate } from '../../../hooks/useTranslate';

type Interactive = Extract<ReplyRequest, { type: 'interactive' }>['interactive'];

const MAX_BUTTONS = 3;
const MAX_TITLE = 20;

/** Ids the customer's tap comes back with: the title, slugged, made unique. */
const buttonIds = (titles: string[]) => {
  const seen = new Set<string>();
  return titles.map((title, i) => {
    let id = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `button-${i + 1}`;
    while (seen.has(id)) id = `${id}-${i + 1}`;
    seen.add(id);
    return id;
  });
};

export interface InteractiveModalProps {
  onClose: () => void;
  /** Resolves true when the message was accepted (the modal then closes). */
  onSubmit: (interactive: Interactive) => Promise<boolean>;
}

/** A message with up to three reply buttons the customer taps instead of typing. */
export const InteractiveModal = ({ onClose, onSubmit }: InteractiveModalProps) => {
  const t = useTranslate();
  const [body, setBody] = React.useState('');
  const [footer, setFooter] = React.useState('');
  const [titles, setTitles] = React.useState<string[]>(['', '']);
  const [sending, setSending] = React.useState(false);
  const filled = titles.map((x) => x.trim()).filter(Boolean);
  const duplicate = new Set(filled.map((x) => x.toLowerCase())).size !== filled.length;
  const ready = body.trim() !== '' && filled.length > 0 && !duplicate;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready || sending) return;
    setSending(true);
    const ids = buttonIds(filled);
    const ok = await onSubmit({ type: 'button', body: body.trim(), ...(footer.trim() ? { footer: footer.trim() } : {}), buttons: filled.map((title, i) => ({ id: ids[i], title })) });
    setSending(false);
    if (ok) onClose();
  };

  const title = t('inbox.interactive.title', 'Message with buttons');
  return (
    <Modal.Root open onOpenChange={(open) => !open && !sending && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} aria-label={title} noValidate>
          <Modal.Header closeLabel={t('inbox.modal.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="interactive-body" required>
                <Field.Label>{t('inbox.interactive.body', 'Text')}</Field.Label>
                <Textarea value={body} maxLength={1024} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setBody(e.target.value)} />
              </Field.Root>
              {titles.map((value, i) => (
                <Field.Root key={i} name={`button-${i}`} hint={t('inbox.interactive.buttonHint', 'Up to {max} characters.', { max: MAX_TITLE })}>
                  <Field.Label>{t('inbox.interactive.button', 'Button {n}', { n: i + 1 })}</Field.Label>
                  <TextInput value={value} maxLength={MAX_TITLE} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitles(titles.map((x, j) => (j === i ? e.target.value : x)))} />
                  <Field.Hint />
                </Field.Root>
              ))}
              {titles.length < MAX_BUTTONS && (
                <Button variant="tertiary" type="button" onClick={() => setTitles([...titles, ''])} style={{ alignSelf: 'flex-start' }}>
                  {t('inbox.interactive.addButton', 'Add a button')}
                </Button>
              )}
              <Field.Root name="interactive-footer">
                <Field.Label>{t('inbox.interactive.footer', 'Footer (optional)')}</Field.Label>
                <TextInput value={footer} maxLength={60} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFooter(e.target.value)} />
              </Field.Root>
              {duplicate && <Typography textColor="danger600">{t('inbox.interactive.duplicate', 'Each button needs a different title.')}</Typography>}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={sending}>
                {t('inbox.modal.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={sending} disabled={!ready}>
              {t('inbox.interactive.send', 'Send buttons')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
