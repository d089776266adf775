import type { Firing, NotificationRule, RuleEvent } from '../../../contracts/notifications';
import type { Translate } from '../../hooks/useTranslate';

export const eventLabel = (t: Translate, event: RuleEvent | string) => {
  switch (event) {
    case 'created':
      return t('notifications.event.created', 'Created');
    case 'updated':
      return t('notifications.event.updated', 'Updated');
    case 'fieldChanged':
      return t('notifications.event.fieldChanged', 'Field changed');
    case 'published':
      return t('notifications.event.published', 'Published');
    case 'deleted':
      return t('notifications.event.deleted', 'Deleted');
    case 'dateOffset':
      return t('notifications.event.dateOffset', 'Days before or after a date');
    case 'test':
      return t('notifications.event.test', 'Test send');
    default:
      return event;
  }
};

/** "Field changed: paidAt", "3 days before dueDate". */
export const ruleEventSummary = (t: Translate, rule: Pick<NotificationRule, 'event' | 'field' | 'value' | 'offsetDays'>) => {
  if (rule.event === 'fieldChanged') {
    return rule.value !== undefined && rule.value !== null && rule.value !== ''
      ? t('notifications.event.fieldChangedTo', '{field} changed to {value}', { field: rule.field ?? '', value: String(rule.value) })
      : t('notifications.event.fieldChangedAny', '{field} changed', { field: rule.field ?? '' });
  }
  if (rule.event === 'dateOffset') {
    const days = rule.offsetDays ?? 0;
    if (days === 0) return t('notifications.event.onDate', 'On {field}', { field: rule.field ?? '' });
    return days < 0
      ? t('notifications.event.daysBefore', '{days, plural, one {# day} other {# days}} before {field}', { days: -days, field: rule.field ?? '' })
      : t('notifications.event.daysAfter', '{days, plural, one {# day} other {# days}} after {field}', { days, field: rule.field ?? '' });
  }
  return eventLabel(t, rule.event);
};

/** What happened to a firing, in one word: the message's status once there is one. */
export const firingStatus = (firing: Pick<Firing, 'state' | 'trace'>) => firing.trace?.message?.status ?? firing.state;

export const statusLabel = (t: Translate, status: string) => {
  switch (status) {
    case 'pending':
      return t('notifications.status.pending', 'Pending');
    case 'queued':
    case 'sending':
      return t('notifications.status.queued', 'Queued');
    case 'sent':
      return t('notifications.status.sent', 'Sent');
    case 'delivered':
      return t('notifications.status.delivered', 'Delivered');
    case 'read':
      return t('notifications.status.read', 'Read');
    case 'failed':
      return t('notifications.status.failed', 'Failed');
    case 'skipped':
      return t('notifications.status.skipped', 'Skipped');
    case 'not-matched':
      return t('notifications.status.notMatched', 'Not matched');
    default:
      return status;
  }
};

/** Badge colours: green sent, red failed, amber skipped, grey otherwise. */
export const statusColors = (status: string): { backgroundColor: string; textColor: string } => {
  if (['sent', 'delivered', 'read'].includes(status)) return { backgroundColor: 'success100', textColor: 'success700' };
  if (status === 'failed') return { backgroundColor: 'danger100', textColor: 'danger700' };
  if (status === 'skipped') return { backgroundColor: 'warning100', textColor: 'warning700' };
  return { backgroundColor: 'neutral150', textColor: 'neutral700' };
};
