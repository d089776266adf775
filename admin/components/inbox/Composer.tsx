import * as React from 'react';
import { Box, Button, Field, Flex, IconButton, SimpleMenu, MenuItem, Textarea, Typography } from '@strapi/design-system';
import { BulletList, Cross, Feather, Lightning, PaperPlane, Paperclip, PinMap, Sparkle, User } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import type { Conversation } from '../../../contracts/inbox';
import { useUploadFileMutation, type UploadedFile } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { InteractiveModal } from './composer/InteractiveModal';
import { ShareModal } from './composer/ShareModal';
import { TemplateModal } from './composer/TemplateModal';
import { QuickReplyList } from './composer/QuickReplyList';
import { TemplateComposer } from './composer/TemplateComposer';
import { templateRequest } from './composer/TemplatePicker';
import { insertReply, matchReplies, slashQuery, type QuickReply } from './composer/quickReplyText';
import { useQuickReplies } from './composer/useQuickReplies';
import { useReply } from './composer/useReply';
import { SuggestionPanel } from './composer/SuggestionPanel';
import { useSuggestion } from './composer/useSuggestion';
import { useSendOptions, type SendOptionsState } from './composer/useSendOptions';
import { mediaTypeOf } from './composer/upload';

export interface ComposerProps {
  conversation: Conversation;
  /** The user holds inbox.send. */
  canSend: boolean;
}

/** Inside the window: text (Enter sends, Shift+Enter starts a new line), a file, quick replies, reply buttons, a place, a contact card or a template. */
const FreeComposer = ({ conversation, sendOptions }: Omit<ComposerProps, 'canSend'> & { sendOptions: SendOptionsState }) => {
  const t = useTranslate();
  const [uploadFile] = useUploadFileMutation();
  const { send, notifyError } = useReply(conversation.id);
  const { replies } = useQuickReplies();
  const assistant = useSuggestion(conversation.id);
  const [text, setText] = React.useState('');
  const [file, setFile] = React.useState<File | null>(null);
  const [sending, setSending] = React.useState(false);
  const [modal, setModal] = React.useState<'interactive' | 'template' | 'location' | 'contacts' | null>(null);
  const [active, setActive] = React.useState(0);
  const [dismissed, setDismissed] = React.useState(false);
  const fileInput = React.useRef<HTMLInputElement>(null);
  // The chosen file uploads once: sending it again after a failure reuses the upload (and so the idempotency key).
  const uploadedFor = React.useRef<{ file: File; uploaded: UploadedFile } | null>(null);
  const { allowedActions } = useRBAC(PERMISSIONS.uploadFiles);
  const textarea = React.useRef<HTMLTextAreaElement>(null);
  const listId = `whatsapp-quick-replies-${conversation.id}`;

  const query = slashQuery(text);
  const suggestions = query !== null && !dismissed ? matchReplies(replies, query) : [];
  React.useEffect(() => {
    setActive(0);
    if (query === null) setDismissed(false);
  }, [query]);

  const preview = React.useMemo(() => (file && /^image\//.test(file.type) ? URL.createObjectURL(file) : null), [file]);
  React.useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const pick = (reply: QuickReply) => {
    setText((prev) => insertReply(prev, reply));
    setDismissed(true);
    textarea.current?.focus();
  };

  const appendReply = (reply: QuickReply) => {
    setText((prev) => (prev.trim() ? `${prev.replace(/\s+$/, '')} ${reply.text}` : reply.text));
    textarea.current?.focus();
  };

  const submit = async () => {
    const value = text.trim();
    if ((!value && !file) || sending) return;
    setSending(true);
    let ok = false;
    if (file) {
      try {
        if (uploadedFor.current?.file !== file) uploadedFor.current = { file, uploaded: await uploadFile(file).unwrap() };
        const { uploaded } = uploadedFor.current;
        ok = await send({ type: 'media', fileId: uploaded.id, mediaType: mediaTypeOf(uploaded.mime || file.type), ...(value ? { caption: value } : {}) });
      } catch (error) {
        notifyError(error);
      }
    } else {
      ok = await send({ type: 'text', text: value });
      if (ok) assistant.sent(value);
    }
    setSending(false);
    if (ok) {
      setText('');
      setFile(null);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length && !e.ctrlKey && !e.metaKey) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(suggestions[Math.min(active, suggestions.length - 1)]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(true);
        return;
      }
    }
    // As WhatsApp Web: Enter sends, Shift+Enter is a new line (and Enter finishing an IME composition is neither).
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <Box
      tag="form"
      padding={4}
      background="neutral0"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        {assistant.suggestion && (
          <SuggestionPanel
            suggestion={assistant.suggestion}
            onReject={assistant.reject}
            onUse={() => {
              setText(assistant.use());
              textarea.current?.focus();
            }}
          />
        )}
        {file && (
          <Flex gap={2} alignItems="center" background="neutral100" hasRadius padding={2} aria-label={t('inbox.composer.attachment', 'Attachment')} role="group">
            {preview ? <img src={preview} alt="" style={{ width: 40, height: 40, objectFit: 'cover', borderRadius: 4 }} /> : <Paperclip aria-hidden />}
            <Typography textColor="neutral800" ellipsis style={{ flex: 1, minWidth: 0 }}>
              {file.name}
            </Typography>
            <IconButton label={t('inbox.composer.removeAttachment', 'Remove the attachment')} variant="ghost" onClick={() => setFile(null)} disabled={sending}>
              <Cross />
            </IconButton>
          </Flex>
        )}
        {suggestions.length > 0 && <QuickReplyList id={listId} replies={suggestions} active={active} onPick={pick} />}
        <Field.Root name="message" hint={t('inbox.composer.hint', 'Enter sends · Shift+Enter for a new line · type / for quick replies')}>
          <Field.Label>{file ? t('inbox.composer.caption', 'Caption') : t('inbox.composer.label', 'Message')}</Field.Label>
          <Textarea
            ref={textarea}
            value={text}
            placeholder={t('inbox.composer.placeholder', 'Type a reply…')}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            aria-autocomplete="list"
            aria-expanded={suggestions.length > 0}
            aria-controls={suggestions.length ? listId : undefined}
            aria-activedescendant={suggestions.length ? `${listId}-${suggestions[Math.min(active, suggestions.length - 1)].id}` : undefined}
          />
          <Field.Hint />
        </Field.Root>
        <Flex gap={1} alignItems="center" wrap="wrap">
          <input
            ref={fileInput}
            type="file"
            hidden
            aria-label={t('inbox.composer.attach', 'Attach a file')}
            onChange={(e) => {
              const chosen = e.target.files?.[0] ?? null;
              if (chosen) setFile(chosen);
              e.target.value = '';
            }}
          />
          {allowedActions.canCreate && (
            <IconButton label={t('inbox.composer.attach', 'Attach a file')} variant="ghost" onClick={() => fileInput.current?.click()} disabled={sending}>
              <Paperclip />
            </IconButton>
          )}
          <SimpleMenu tag={IconButton} icon={<Lightning />} label={t('inbox.quickReplies.label', 'Quick replies')} variant="ghost">
            {replies.length === 0 ? (
              <MenuItem disabled>{t('inbox.quickReplies.empty', 'No quick replies saved yet')}</MenuItem>
            ) : (
              replies.map((r) => (
                <MenuItem key={r.id} onSelect={() => appendReply(r)}>
                  {`/${r.name} — ${r.text.length > 40 ? `${r.text.slice(0, 40)}…` : r.text}`}
                </MenuItem>
              ))
            )}
          </SimpleMenu>
          <IconButton label={t('inbox.composer.buttons', 'Message with buttons')} variant="ghost" onClick={() => setModal('interactive')} disabled={sending}>
            <BulletList />
          </IconButton>
          <IconButton label={t('inbox.composer.location', 'Send a place')} variant="ghost" onClick={() => setModal('location')} disabled={sending}>
            <PinMap />
          </IconButton>
          <IconButton label={t('inbox.composer.contact', 'Send a contact card')} variant="ghost" onClick={() => setModal('contacts')} disabled={sending}>
            <User />
          </IconButton>
          <IconButton label={t('inbox.composer.template', 'Template')} variant="ghost" onClick={() => setModal('template')} disabled={sending}>
            <Feather />
          </IconButton>
          <IconButton label={t('inbox.composer.suggest', 'Suggest a reply')} variant="ghost" onClick={assistant.ask} disabled={sending || assistant.asking}>
            <Sparkle />
          </IconButton>
          <Box flex={1} />
          <Button type="submit" startIcon={<PaperPlane />} loading={sending} disabled={!text.trim() && !file}>
            {t('inbox.composer.send', 'Send')}
          </Button>
        </Flex>
      </Flex>
      {modal === 'interactive' && <InteractiveModal onClose={() => setModal(null)} onSubmit={(interactive) => send({ type: 'interactive', interactive })} />}
      {(modal === 'location' || modal === 'contacts') && <ShareModal kind={modal} onClose={() => setModal(null)} onSubmit={send} />}
      {modal === 'template' && (
        <TemplateModal numberId={conversation.numberId} sendOptions={sendOptions} onClose={() => setModal(null)} onSubmit={(choice) => send({ type: 'template', template: templateRequest(choice) })} />
      )}
    </Box>
  );
};

/** The reply box: hidden behind a note without inbox.send; templates only outside the 24-hour window. */
export const Composer = ({ conversation, canSend }: ComposerProps) => {
  const t = useTranslate();
  const sendOptions = useSendOptions(canSend);
  if (!canSend) {
    return (
      <Box padding={4} background="neutral100">
        <Typography textColor="neutral600">{t('inbox.composer.noPermission', 'You can read this conversation but not reply to it.')}</Typography>
      </Box>
    );
  }
  // AiSensy numbers send templates only, window or not.
  const templatesOnly = sendOptions.options.find((o) => o.numberId === conversation.numberId)?.freeForm === false;
  return conversation.canSendFreeText && !templatesOnly ? (
    <FreeComposer conversation={conversation} sendOptions={sendOptions} />
  ) : (
    <TemplateComposer conversation={conversation} sendOptions={sendOptions} templatesOnly={templatesOnly} />
  );
};
