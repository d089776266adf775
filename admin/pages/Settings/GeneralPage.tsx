import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import type { HostContentType } from '../../../contracts/host';
import { DEFAULT_SETTINGS, type AutoLeadSettings, type IdentitySource, type Settings, type TicketSettings, type UpdateSettings } from '../../../contracts/settings';
import { useGetSettingsQuery, useListAdminUsersQuery, useListHostTypesQuery, useListNumbersQuery, useNotifyError, useUpdateSettingsMutation } from '../../api';
import { PageStatus } from '../../components/PageStatus';
import { PluginPage } from '../../components/PluginPage';
import { AutoLeadSection } from '../../components/settings/AutoLeadSection';
import { BusinessHoursSection } from '../../components/settings/BusinessHoursSection';
import { ConsentSection, consentDraftOf, consentSettingsOf, type ConsentDraft } from '../../components/settings/ConsentSection';
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
  ticket: TicketSettings | null;
  defaultNumberId: number | null;
  hours: HoursDraft;
  notificationFields: Record<string, string[]>;
  consent: ConsentDraft;
}

/** Auto-lead switched off (null) is edited as the example's mapping, off; saved only when changed. */
const AUTO_LEAD_OFF: AutoLeadSettings = { ...DEFAULT_SETTINGS.autoLead!, enabled: false };

const draftOf = (s: Settings): Draft => ({
  autoLead: s.autoLead ?? AUTO_LEAD_OFF,
  identitySources: s.identitySources.map((src) => ({ ...src, nameField: src.nameField ?? null, optOutField: src.optOutField ?? null })),
  ticket: s.ticket,
  defaultNumberId: s.defaultNumberId,
  hours: hoursDraftOf(s.businessHours, s.outOfHoursReply),
  notificationFields: s.notificationFields ?? {},
  consent: consentDraftOf(s.consentKeywords, s.consentReplies, s.requireMarketingOptIn),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the sections that changed: a host without, say, a ticket type can still save the rest. */
const changesOf = (saved: Settings, draft: Draft, types: HostContentType[]): UpdateSettings.Request => {
  const body: UpdateSettings.Request = {};
  if (!same(saved.autoLead ?? AUTO_LEAD_OFF, draft.autoLead)) body.autoLead = draft.autoLead;
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
  const consent = consentSettingsOf(draft.consent);
  if (!same(saved.consentKeywords, consent.consentKeywords)) body.consentKeywords = consent.consentKeywords;
  if (!same(saved.consentReplies, consent.consentReplies)) body.consentReplies = consent.consentReplies;
  if (saved.requireMarketingOptIn !== consent.requireMarketingOptIn) body.requireMarketingOptIn = consent.requireMarketingOptIn;
  return body;
};

/** Each card saves on its own: the settings keys it sends, the draft keys it resets, its error prefixes. */
const SECTIONS = {
  autoLead: { keys: ['autoLead'], draft: ['autoLead'], errors: ['autoLead'] },
  identity: { keys: ['identitySources'], draft: ['identitySources'], errors: ['identitySources'] },
  ticket: { keys: ['ticket'], draft: ['ticket'], errors: ['ticket'] },
  defaultNumber: { keys: ['defaultNumberId'], draft: ['defaultNumberId'], errors: ['defaultNumberId'] },
  hours: { keys: ['businessHours', 'outOfHoursReply'], draft: ['hours'], errors: ['businessHours', 'outOfHoursReply'] },
  notificationFields: { keys: ['notificationFields'], draft: ['notificationFields'], errors: ['notificationFields'] },
  consent: { keys: ['consentKeywords', 'consentReplies', 'requireMarketingOptIn'], draft: ['consent'], errors: ['consentKeywords', 'consentReplies', 'requireMarketingOptIn'] },
} as const satisfies Record<string, { keys: readonly (keyof UpdateSettings.Request)[]; draft: readonly (keyof Draft)[]; errors: readonly string[] }>;
type SectionName = keyof typeof SECTIONS;

const withoutPrefix = (errors: FieldErrors, prefix: string) =>
  Object.fromEntries(Object.entries(errors).filter(([key]) => key !== prefix && !key.startsWith(`${prefix}.`)));

const General = () => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const settings = useGetSettingsQuery();
  const host = useListHostTypesQuery();
  // Without numbers.read or admin users' read permission, ids are typed instead of picked.
  const { data: numbers = null } = useListNumbersQuery();
  const admins = useListAdminUsersQuery();
  const [updateSettings] = useUpdateSettingsMutation();
  const types = host.data ?? [];
  const users = React.useMemo(
    () => admins.data?.map((u) => ({ id: u.id, name: [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email })) ?? null,
    [admins.data]
  );

  /** What the server holds (the last answer, a save's included); the draft starts from it once. */
  const saved = settings.data?.data ?? null;
  const meta = settings.data?.meta ?? null;
  const [draft, setDraft] = React.useState<Draft | null>(null);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [saving, setSaving] = React.useState<SectionName | null>(null);
  const [rejections, setRejections] = React.useState(0);
  React.useEffect(() => {
    if (saved) setDraft((prev) => prev ?? draftOf(saved));
  }, [saved]);

  const failure = settings.error ?? host.error;

  React.useEffect(() => {
    if (!rejections) return;
    document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.scrollIntoView({ block: 'center' });
  }, [rejections]);

  const change =
    <K extends keyof Draft>(key: K, errorPrefix: string | readonly string[]) =>
    (value: Draft[K]) => {
      setDraft((prev) => (prev ? { ...prev, [key]: value } : prev));
      setErrors((prev) => (typeof errorPrefix === 'string' ? [errorPrefix] : errorPrefix).reduce(withoutPrefix, prev));
    };

  if (!draft || !saved) return <PageStatus queries={[settings, host]} loading={!failure}>{null}</PageStatus>;

  const changes = changesOf(saved, draft, types);
  const bodyOf = (section: SectionName) => Object.fromEntries(SECTIONS[section].keys.filter((k) => k in changes).map((k) => [k, changes[k]])) as UpdateSettings.Request;

  /** Saves one card: only its settings are sent, so another card's state never refuses it. */
  const save = async (section: SectionName) => {
    setSaving(section);
    const withoutSection = (prev: FieldErrors) => SECTIONS[section].errors.reduce(withoutPrefix, prev);
    setErrors(withoutSection);
    try {
      const res = await updateSettings(bodyOf(section)).unwrap();
      const fresh = draftOf(res.data);
      // Other cards keep their unsaved edits.
      setDraft((prev) => (prev ? { ...prev, ...Object.fromEntries(SECTIONS[section].draft.map((k) => [k, fresh[k]])) } : fresh));
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved.') });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields) {
        setErrors((prev) => ({ ...withoutSection(prev), ...fields }));
        setRejections((n) => n + 1);
      }
      notifyError(error);
    } finally {
      setSaving(null);
    }
  };

  const saveButton = (section: SectionName, name: string) => (
    <Flex justifyContent="flex-end" marginTop={-4} marginBottom={6}>
      <Button startIcon={<Check />} onClick={() => save(section)} loading={saving === section} disabled={saving !== null || Object.keys(bodyOf(section)).length === 0} size="S">
        {t('settings.saveSection', 'Save {section}', { section: name })}
      </Button>
    </Flex>
  );

  return (
    <PluginPage
      title={t('settings.general.title', 'WhatsApp general settings')}
      subtitle={t('settings.general.subtitle', 'How people who write are recognised, leads and tickets, the default number, business hours and the fields CRM events may send.')}
      queries={[settings, host]}
    >
      <AutoLeadSection value={draft.autoLead} types={types} users={users} errors={errors} onChange={change('autoLead', 'autoLead')} />
      {saveButton('autoLead', t('settings.autoLead.title', 'Auto-lead'))}
      <IdentitySourcesSection
        value={draft.identitySources}
        types={types}
        errors={errors}
        suggestions={meta?.suggestions ?? []}
        onChange={change('identitySources', 'identitySources')}
      />
      {saveButton('identity', t('settings.identity.title', 'Identity sources'))}
      <TicketSection
        value={draft.ticket}
        fallback={saved.ticket ?? DEFAULT_SETTINGS.ticket!}
        types={types}
        errors={errors}
        onChange={change('ticket', 'ticket')}
      />
      {saveButton('ticket', t('settings.ticket.title', 'Tickets'))}
      <DefaultNumberSection
        value={draft.defaultNumberId}
        numbers={numbers}
        errors={errors}
        onChange={change('defaultNumberId', 'defaultNumberId')}
      />
      {saveButton('defaultNumber', t('settings.defaultNumber.title', 'Outgoing messages'))}
      <BusinessHoursSection value={draft.hours} errors={errors} onChange={change('hours', 'businessHours')} />
      {saveButton('hours', t('settings.hours.title', 'Business hours'))}
      <NotificationFieldsSection value={draft.notificationFields} types={types} errors={errors} onChange={change('notificationFields', 'notificationFields')} />
      {saveButton('notificationFields', t('settings.notificationFields.title', 'Fields CRM events may send'))}
      <ConsentSection value={draft.consent} errors={errors} onChange={change('consent', SECTIONS.consent.errors)} />
      {saveButton('consent', t('settings.consent.title', 'Consent'))}
    </PluginPage>
  );
};

/** Settings → WhatsApp → General. */
const GeneralPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <General />
  </Page.Protect>
);

export default GeneralPage;
