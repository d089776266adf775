import * as React from 'react';
import { Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { WEBHOOK_STATES, type ReplayWebhooks, type WebhookState } from '../../../contracts/logs';
import { useNotifyError, useReplayWebhooksMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';
import { isReplayable, stateName } from './messages';

const ANY = 'any';

/** `datetime-local` wants local `YYYY-MM-DDTHH:mm`. */
const localInput = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** Replays every stored call received in a time range (the number filter of the page applies). */
export const ReplayRangeModal = ({
  numberId,
  onClose,
  onReplayed,
}: {
  numberId: number | null;
  onClose: () => void;
  onReplayed: () => void;
}) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [replay, { isLoading: submitting }] = useReplayWebhooksMutation();
  const [from, setFrom] = React.useState(() => localInput(new Date(Date.now() - 60 * 60 * 1000)));
  const [to, setTo] = React.useState(() => localInput(new Date()));
  const [state, setState] = React.useState<string>(ANY);
  const [errors, setErrors] = React.useState<FieldErrors>({});

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const local: FieldErrors = {};
    if (!from || Number.isNaN(Date.parse(from))) local.from = t('logs.replayRange.fromRequired', 'Choose when the range starts.');
    if (!to || Number.isNaN(Date.parse(to))) local.to = t('logs.replayRange.toRequired', 'Choose when the range ends.');
    else if (from && Date.parse(to) <= Date.parse(from)) local.to = t('logs.replayRange.order', 'The end must be after the start.');
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      const body: ReplayWebhooks.Request = {
        from: new Date(from).toISOString(),
        // The inputs have minutes only: "to 13:45" means up to the end of that minute.
        to: new Date(Date.parse(to) + 59_999).toISOString(),
        ...(numberId ? { numberId } : {}),
        ...(state !== ANY ? { state: state as WebhookState } : {}),
      };
      const { replayed } = await replay(body).unwrap();
      toggleNotification({
        type: 'success',
        message: t(
          'logs.replayRange.done',
          '{count, plural, =0 {No call in this range to replay.} one {# call queued for replay.} other {# calls queued for replay.}}',
          {
            count: replayed,
          },
        ),
      });
      onReplayed();
    } catch (error) {
      setErrors(fieldErrorsOf(error) ?? {});
      notifyError(error);
    }
  };

  const title = t('logs.replayRange.title', 'Replay a time range');
  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content>
        <form noValidate onSubmit={submit} aria-label={title}>
          <Modal.Header closeLabel={t('logs.detail.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'logs.replayRange.help',
                  'Applies the stored calls received in this range again. Effects already applied stay applied once; rejected calls are never replayed.',
                )}
              </Typography>
              <FormField name="from" label={t('logs.replayRange.from', 'From')} error={errors.from} required>
                <Field.Input type="datetime-local" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
              </FormField>
              <FormField name="to" label={t('logs.replayRange.to', 'To')} error={errors.to} required>
                <Field.Input type="datetime-local" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
              </FormField>
              <FormField name="state" label={t('logs.replayRange.state', 'Only calls in state')} error={errors.state}>
                <SingleSelect value={state} onChange={(v) => setState(String(v))}>
                  <SingleSelectOption value={ANY}>{t('logs.replayRange.anyState', 'Any replayable state')}</SingleSelectOption>
                  {WEBHOOK_STATES.filter(isReplayable).map((s) => (
                    <SingleSelectOption key={s} value={s}>
                      {stateName(t, s)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </FormField>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" disabled={submitting}>
                {t('logs.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('logs.replayRange.submit', 'Replay')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
