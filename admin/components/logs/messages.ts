import type { WebhookState } from '../../../contracts/logs';
import type { Translate } from '../../hooks/useTranslate';

export const stateTone = (state: WebhookState) => {
  switch (state) {
    case 'done':
      return { backgroundColor: 'success100', textColor: 'success700' };
    case 'pending':
      return { backgroundColor: 'primary100', textColor: 'primary700' };
    case 'failed':
    case 'ignored':
      return { backgroundColor: 'warning100', textColor: 'warning700' };
    case 'dead':
    case 'rejected':
      return { backgroundColor: 'danger100', textColor: 'danger700' };
    default:
      return { backgroundColor: 'neutral150', textColor: 'neutral700' };
  }
};

export const stateName = (t: Translate, state: WebhookState) => {
  switch (state) {
    case 'pending':
      return t('logs.state.pending', 'Pending');
    case 'done':
      return t('logs.state.done', 'Done');
    case 'failed':
      return t('logs.state.failed', 'Failed');
    case 'dead':
      return t('logs.state.dead', 'Dead');
    case 'ignored':
      return t('logs.state.ignored', 'Ignored');
    case 'rejected':
      return t('logs.state.rejected', 'Rejected');
    default:
      return state;
  }
};

/** Rejected calls failed authentication and are never applied (the server refuses to replay them). */
export const isReplayable = (state: WebhookState) => state !== 'rejected';
