import * as React from 'react';
import { Button, Field, Flex, Textarea } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { BotNumberSettings } from '../../../contracts/bots';
import { useGetBotNumberQuery, useNotifyError, useSaveBotNumberMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { BusinessHoursSection } from '../settings/BusinessHoursSection';
import { businessHoursOf, hoursDraftOf, type HoursDraft } from '../settings/businessHours';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';

const dates = (text: string) => text.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean);

/** The form for one number's saved hours: its own or the global ones (off), and its holidays. */
const Form = ({ numberId, saved, canManage }: { numberId: number; saved: BotNumberSettings; canManage: boolean }) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [save, { isLoading }] = useSaveBotNumberMutation();
  const [hours, setHours] = React.useState<HoursDraft>(() => hoursDraftOf(saved.businessHours));
  const [holidays, setHolidays] = React.useState(saved.holidays.join(', '));
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const holidayError = Object.entries(errors).find(([key]) => key === 'holidays' || key.startsWith('holidays.'))?.[1];

  const submit = async () => {
    setErrors({});
    try {
      await save({ numberId, body: { businessHours: businessHoursOf(hours), holidays: dates(holidays) } }).unwrap();
      toggleNotification({ type: 'success', message: t('bots.hours.saved', 'Hours and holidays saved.') });
    } catch (error) {
      setErrors(fieldErrorsOf(error) ?? {});
      notifyError(error);
    }
  };

  return (
    <BusinessHoursSection
      value={hours}
      errors={errors}
      onChange={(next) => (setHours(next), setErrors({}))}
      perNumber={{
        id: 'bots-number-hours',
        title: t('bots.hours.title', 'Business hours of this number'),
        description: t('bots.hours.description', "What the inside-hours and outside-hours bots go by on this number. Off: the general settings' hours."),
        enabled: t('bots.hours.own', 'Own hours for this number'),
        on: t('bots.hours.own.on', 'Own hours'),
        off: t('bots.hours.own.off', 'General hours'),
      }}
    >
      <Field.Root name="holidays" error={holidayError} hint={t('bots.hours.holidays.hint', 'Dates such as 2026-12-25, separated by commas: closed all day in the hours’ time zone.')}>
        <Field.Label>{t('bots.hours.holidays', 'Holidays')}</Field.Label>
        <Textarea value={holidays} disabled={!canManage} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => (setHolidays(e.target.value), setErrors({}))} />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
      {canManage && (
        <Flex justifyContent="flex-end">
          <Button startIcon={<Check />} size="S" loading={isLoading} onClick={submit}>
            {t('bots.hours.save', 'Save hours and holidays')}
          </Button>
        </Flex>
      )}
    </BusinessHoursSection>
  );
};

/** A number's business hours and holidays, on the bots page: the form starts again from what is saved when the number changes. */
export const NumberHours = ({ numberId, canManage }: { numberId: number; canManage: boolean }) => {
  const settings = useGetBotNumberQuery(numberId);
  if (!settings.data) return null;
  return <Form key={numberId} numberId={numberId} saved={settings.data} canManage={canManage} />;
};
