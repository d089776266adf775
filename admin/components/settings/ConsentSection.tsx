import { Field, Grid, Textarea, Toggle } from '@strapi/design-system';
import type { ConsentKeywords, ConsentReplies } from '../../../contracts/consent';
import { useTranslate } from '../../hooks/useTranslate';
import { Section } from './Section';
import type { FieldErrors } from './fieldErrors';

/** The consent card's form: keywords edited as comma-separated text (a keyword may hold spaces: "opt out"). */
export interface ConsentDraft {
  optOut: string;
  optIn: string;
  replyOptOut: string;
  replyOptIn: string;
  requireMarketingOptIn: boolean;
}

export const consentDraftOf = (keywords: ConsentKeywords, replies: ConsentReplies, requireMarketingOptIn: boolean): ConsentDraft => ({
  optOut: keywords.optOut.join(', '),
  optIn: keywords.optIn.join(', '),
  replyOptOut: replies.optOut ?? '',
  replyOptIn: replies.optIn ?? '',
  requireMarketingOptIn,
});

const words = (text: string) => text.split(',').map((w) => w.trim()).filter(Boolean);

/** The settings a draft saves; an empty reply sends nothing (null). */
export const consentSettingsOf = (d: ConsentDraft) => ({
  consentKeywords: { optOut: words(d.optOut), optIn: words(d.optIn) },
  consentReplies: { optOut: d.replyOptOut.trim() || null, optIn: d.replyOptIn.trim() || null },
  requireMarketingOptIn: d.requireMarketingOptIn,
});

/** The first server error at or under `prefix` (`consentKeywords.optOut.3` shows on the opt-out keywords). */
const errorUnder = (errors: FieldErrors, prefix: string) => Object.entries(errors).find(([key]) => key === prefix || key.startsWith(`${prefix}.`))?.[1];

/** Opt-out and opt-in keywords, the confirmations they send, and whether marketing needs an explicit opt-in. */
export const ConsentSection = ({ value, errors, onChange }: { value: ConsentDraft; errors: FieldErrors; onChange: (next: ConsentDraft) => void }) => {
  const t = useTranslate();
  const set = <K extends keyof ConsentDraft>(key: K, v: ConsentDraft[K]) => onChange({ ...value, [key]: v });
  const area = (key: 'optOut' | 'optIn' | 'replyOptOut' | 'replyOptIn', path: string, label: string, hint: string) => (
    <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
      <Field.Root name={path} error={errorUnder(errors, path)} hint={hint}>
        <Field.Label>{label}</Field.Label>
        <Textarea value={value[key]} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set(key, e.target.value)} />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Grid.Item>
  );
  return (
    <Section
      id="settings-consent"
      title={t('settings.consent.title', 'Consent')}
      description={t('settings.consent.description', 'A customer who writes exactly one of these words opts out of (or back into) business-initiated messages on that number.')}
    >
      <Grid.Root gap={4}>
        {area('optOut', 'consentKeywords.optOut', t('settings.consent.optOut', 'Opt-out keywords'), t('settings.consent.keywords.hint', 'Separated by commas; case and accents are ignored.'))}
        {area('optIn', 'consentKeywords.optIn', t('settings.consent.optIn', 'Opt-in keywords'), t('settings.consent.keywords.hint', 'Separated by commas; case and accents are ignored.'))}
        {area('replyOptOut', 'consentReplies.optOut', t('settings.consent.replyOptOut', 'Opt-out confirmation'), t('settings.consent.reply.hint', 'Sent once; empty sends nothing.'))}
        {area('replyOptIn', 'consentReplies.optIn', t('settings.consent.replyOptIn', 'Opt-in confirmation'), t('settings.consent.reply.hint', 'Sent once; empty sends nothing.'))}
      </Grid.Root>
      <Field.Root name="requireMarketingOptIn" error={errors.requireMarketingOptIn} hint={t('settings.consent.requireOptIn.hint', 'On: a marketing template starts a conversation only with customers who opted in.')}>
        <Field.Label>{t('settings.consent.requireOptIn', 'Marketing needs an opt-in')}</Field.Label>
        <Toggle
          checked={value.requireMarketingOptIn}
          onLabel={t('settings.on', 'On')}
          offLabel={t('settings.off', 'Off')}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('requireMarketingOptIn', e.target.checked)}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Section>
  );
};
