import * as React from 'react';
import { Button } from '@strapi/design-system';
import { ArrowClockwise, Check } from '@strapi/icons';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { HostContentType, ListHostContentTypes } from '../../../contracts/host';
import type { ListNumbers, WhatsAppNumber } from '../../../contracts/numbers';
import type { AutoLeadSettings, GetSettings, IdentitySource, Settings, TicketSettings, UpdateSettings } from '../../../contracts/settings';
import { AutoLeadSection, type AdminUserOption } from '../../components/settings/AutoLeadSection';
import { BusinessHoursSection } from '../../components/settings/BusinessHoursSection';
import { DefaultNumberSection } from '../../components/settings/DefaultNumberSection';
import { IdentitySourcesSection } from '../../components/settings/IdentitySourcesSection';
import { NotificationFieldsSection } from '../../components/settings/NotificationFieldsSection';
import { TicketSection } from '../../components/settings/TicketSection';
import { businessHoursOf, hoursDraftOf, type HoursDraft } from '../../components/settings/businessHours';
import { fieldErrorsOf, type FieldErrors } from '../../components/settings/fieldErrors';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

interface Draft {
  autoLead: AutoLeadSettings;
  identitySources: IdentitySource[];
  ticket: TicketSettings;
  defaultNumberId: number | null;
  hours: HoursDraft;
  notificationFields: Record<string, string[]>;
}

const draftOf = (s: Settings): Draft => ({
  autoLead: s.autoLead,
  identitySources: s.identitySources.map((src) => ({ ...src, nameField: src.nameField ?? null })),
  ticket: s.ticket,
  defaultNumberId: s.defaultNumberId,
  hours: hoursDraftOf(s.businessHours, s.outOfHoursReply),
  notificationFields: s.notificationFields ?? {},
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the sections that changed: a host without, say, a ticket type can still save the rest. */
const changesOf = (saved: Settings, draft: Draft, types: HostContentType[]): UpdateSettings.Request => {
  const body: UpdateSettings.Request = {};
  if (!same(saved.autoLead, draft.autoLead)) body.autoLead = draft.autoLead;
  if (!same(draftOf(saved).identitySources, draft.identitySources)) body.identitySources = draft.identitySources;
  if (!same(saved.ticket, draft.ticket)) body.ticket = draft.ticket;
  if (saved.defaultNumberId !== draft.defaultNumberId) body.defaultNumberId = draft.defaultNumberId;
  const hours = businessHoursOf(draft.hours);
  if (!same(saved.businessHours, hours)) body.businessHours = hours;
  const autoReply = draft.hours.autoReply.trim() || null;
  if ((saved.outOfHoursReply ?? null) !== autoReply) body.outOfHoursReply = autoReply;
  if (!same(saved.notificationFields ?? {}, draft.notificationFields)) {
    // A type the host no longer has cannot be shown, so it is dropped rather than sent back to be refused.
    body.notificationFields = Object.fromEntries(Object.entries(draft.notificationFields).filter(([uid]) => types.some((ty) => ty.uid === uid)));
  }
  return body;
};

const withoutPrefix = (errors: FieldErrors, prefix: string) =>
  Object.fromEntries(Object.entries(errors).filter(([key]) => key !== prefix && !key.startsWith(`${prefix}.`)));

interface AdminUsersResponse {
  data: { results: Array<{ id: number; firstname?: string | null; lastname?: string | null; username?: string | null; email: string }> };
}

const General = () => {
  const t = useTranslate();
  const { get, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();

  const [status, setStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [saved, setSaved] = React.useState<Settings | null>(null);
  const [draft, setDraft] = React.useState<Draft | null>(null);
  const [types, setTypes] = React.useState<HostContentType[]>([]);
  const [numbers, setNumbers] = React.useState<WhatsAppNumber[] | null>(null);
  const [users, setUsers] = React.useState<AdminUserOption[] | null>(null);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [saving, setSaving] = React.useState(false);
  const [rejections, setRejections] = React.useState(0);

  const load = React.useCallback(async () => {
    setStatus('loading');
    const [settings, host, nums, admins] = await Promise.allSettled([
      get<GetSettings.Response>('/whatsapp/settings'),
      get<ListHostContentTypes.Response>('/whatsapp/host/content-types'),
      get<ListNumbers.Response>('/whatsapp/numbers'),
      get<AdminUsersResponse>('/admin/users', { params: { pageSize: 100 } }),
    ]);
    if (settings.status === 'rejected' || host.status === 'rejected') {
      const reason = settings.status === 'rejected' ? settings.reason : (host as PromiseRejectedResult).reason;
      toggleNotification({
        type: 'danger',
        message: isFetchError(reason) ? formatAPIError(reason) : t('settings.error', 'Something went wrong. Try again.'),
      });
      setStatus('error');
      return;
    }
    setSaved(settings.value.data.data);
    setDraft(draftOf(settings.value.data.data));
    setTypes(host.value.data.data);
    // Without numbers.read or admin users' read permission, ids are typed instead of picked.
    setNumbers(nums.status === 'fulfilled' ? nums.value.data.data : null);
    setUsers(
      admins.status === 'fulfilled'
        ? admins.value.data.data.results.map((u) => ({
            id: u.id,
            name: [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email,
          }))
        : null,
    );
    setErrors({});
    setStatus('ready');
  }, [formatAPIError, get, t, toggleNotification]);

  React.useEffect(() => {
    load();
  }, [load]);

  React.useEffect(() => {
    if (!rejections) return;
    document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.scrollIntoView({ block: 'center' });
  }, [rejections]);

  const change =
    <K extends keyof Draft>(key: K, errorPrefix: string) =>
    (value: Draft[K]) => {
      setDraft((prev) => (prev ? { ...prev, [key]: value } : prev));
      setErrors((prev) => withoutPrefix(prev, errorPrefix));
    };

  if (status === 'loading') return <Page.Loading />;
  if (status === 'error' || !draft || !saved) {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={load}>
            {t('settings.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  const body = changesOf(saved, draft, types);
  const dirty = Object.keys(body).length > 0;

  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      const res = await put<UpdateSettings.Response, UpdateSettings.Request>('/whatsapp/settings', body);
      setSaved(res.data.data);
      setDraft(draftOf(res.data.data));
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved.') });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields) {
        setErrors(fields);
        setRejections((n) => n + 1);
      }
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('settings.error', 'Something went wrong. Try again.'),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('settings.general.title', 'WhatsApp general settings')}</Page.Title>
      <Layouts.Header
        title={t('settings.general.title', 'WhatsApp general settings')}
        subtitle={t(
          'settings.general.subtitle',
          'How people who write are recognised, leads and tickets, the default number, business hours and the fields CRM events may send.',
        )}
        primaryAction={
          <Button startIcon={<Check />} onClick={save} loading={saving} disabled={!dirty} size="S">
            {t('settings.save', 'Save')}
          </Button>
        }
      />
      <Layouts.Content>
        <AutoLeadSection value={draft.autoLead} types={types} users={users} errors={errors} onChange={change('autoLead', 'autoLead')} />
        <IdentitySourcesSection
          value={draft.identitySources}
          types={types}
          errors={errors}
          onChange={change('identitySources', 'identitySources')}
        />
        <TicketSection value={draft.ticket} types={types} errors={errors} onChange={change('ticket', 'ticket')} />
        <DefaultNumberSection
          value={draft.defaultNumberId}
          numbers={numbers}
          errors={errors}
          onChange={change('defaultNumberId', 'defaultNumberId')}
        />
        <BusinessHoursSection value={draft.hours} errors={errors} onChange={change('hours', 'businessHours')} />
        <NotificationFieldsSection value={draft.notificationFields} types={types} errors={errors} onChange={change('notificationFields', 'notificationFields')} />
      </Layouts.Content>
    </Page.Main>
  );
};

/** Settings → WhatsApp → General. */
const GeneralPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <General />
  </Page.Protect>
);

export default GeneralPage;
