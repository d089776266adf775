import { EXCLUSION_LABELS, type CampaignCounters, type CampaignState, type ExclusionReason, type RecipientStatus } from '../../../contracts/campaigns';
import type { Translate } from '../../hooks/useTranslate';

export const stateLabel = (t: Translate, state: CampaignState | string) => {
  switch (state) {
    case 'draft':
      return t('campaigns.state.draft', 'Draft');
    case 'scheduled':
      return t('campaigns.state.scheduled', 'Scheduled');
    case 'running':
      return t('campaigns.state.running', 'Running');
    case 'paused':
      return t('campaigns.state.paused', 'Paused');
    case 'done':
      return t('campaigns.state.done', 'Done');
    case 'cancelled':
      return t('campaigns.state.cancelled', 'Cancelled');
    default:
      return state;
  }
};

/** Badge colours of a campaign state: blue running, green done, amber paused, red cancelled. */
export const stateColors = (state: CampaignState | string) => {
  if (state === 'running') return { backgroundColor: 'primary100', textColor: 'primary700' };
  if (state === 'done') return { backgroundColor: 'success100', textColor: 'success700' };
  if (state === 'paused' || state === 'scheduled') return { backgroundColor: 'warning100', textColor: 'warning700' };
  if (state === 'cancelled') return { backgroundColor: 'danger100', textColor: 'danger700' };
  return { backgroundColor: 'neutral150', textColor: 'neutral700' };
};

export const recipientStatusLabel = (t: Translate, status: RecipientStatus | string) => {
  switch (status) {
    case 'queued':
      return t('campaigns.recipient.queued', 'Queued');
    case 'sent':
      return t('campaigns.recipient.sent', 'Sent');
    case 'delivered':
      return t('campaigns.recipient.delivered', 'Delivered');
    case 'read':
      return t('campaigns.recipient.read', 'Read');
    case 'replied':
      return t('campaigns.recipient.replied', 'Replied');
    case 'failed':
      return t('campaigns.recipient.failed', 'Failed');
    case 'skipped':
      return t('campaigns.recipient.skipped', 'Skipped');
    default:
      return status;
  }
};

export const recipientStatusColors = (status: RecipientStatus | string) => {
  if (['sent', 'delivered', 'read', 'replied'].includes(status)) return { backgroundColor: 'success100', textColor: 'success700' };
  if (status === 'failed') return { backgroundColor: 'danger100', textColor: 'danger700' };
  if (status === 'skipped') return { backgroundColor: 'warning100', textColor: 'warning700' };
  return { backgroundColor: 'neutral150', textColor: 'neutral700' };
};

/** A skip reason is an exclusion key: its label; a failure's reason is already plain language. */
export const reasonText = (reason: string | null) => (reason && reason in EXCLUSION_LABELS ? EXCLUSION_LABELS[reason as ExclusionReason] : reason ?? '');

/** Recipients no longer queued (sent, failed or skipped) out of the snapshot: right whether counters are per status or cumulative. */
export const progressOf = (c: CampaignCounters) => {
  const done = Math.max(0, c.total - c.queued);
  return { done: Math.min(done, c.total), total: c.total, percent: c.total ? Math.min(100, Math.round((done / c.total) * 100)) : 0 };
};

/** "1 h 20 min", "45 s": an estimated duration. */
export const durationText = (t: Translate, seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('campaigns.duration.seconds', '{s} s', { s });
  const m = Math.round(s / 60);
  if (m < 60) return t('campaigns.duration.minutes', '{m} min', { m });
  return t('campaigns.duration.hours', '{h} h {m} min', { h: Math.floor(m / 60), m: m % 60 });
};

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
