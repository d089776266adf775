import { Badge, Button, Flex } from '@strapi/design-system';
import type { Consent } from '../../../contracts/consent';
import { useApiAction, useSetConsentMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';

export interface ConsentBadgeProps {
  consent: Consent | null;
  numberId: number;
  phone: string;
  conversationId: number;
  /** The viewer holds consents.manage: they may opt the customer out or back in. */
  canManage: boolean;
}

/** The customer's marketing consent in the inbox header (opted out in red), and the staff action that changes it. */
export const ConsentBadge = ({ consent, numberId, phone, conversationId, canManage }: ConsentBadgeProps) => {
  const t = useTranslate();
  const run = useApiAction();
  const [setConsent, { isLoading }] = useSetConsentMutation();
  const out = consent?.status === 'opted-out';
  const label = out ? t('consent.badge.out', 'Opted out') : consent ? t('consent.badge.in', 'Opted in') : t('consent.badge.none', 'No opt-out');
  const title = consent ? t('consent.badge.title', '{source} on {date}{detail}', { source: consent.source, date: new Date(consent.at).toLocaleDateString(), detail: consent.detail ? `: ${consent.detail}` : '' }) : t('consent.badge.noneTitle', 'Nothing recorded: business-initiated messages may go until the customer opts out');
  const change = () =>
    run(
      () => setConsent({ numberId, phone, conversationId, body: { status: out ? 'opted-in' : 'opted-out', note: t('consent.staffNote', 'changed in the inbox') } }).unwrap(),
      out ? t('consent.done.in', 'The customer is opted back in.') : t('consent.done.out', 'The customer is opted out.')
    );
  return (
    <Flex gap={1} alignItems="center">
      <span title={title}>
        <Badge data-testid="consent-badge" data-status={consent?.status ?? 'none'} backgroundColor={out ? 'danger100' : consent ? 'success100' : 'neutral150'} textColor={out ? 'danger700' : consent ? 'success700' : 'neutral700'}>
          {label}
        </Badge>
      </span>
      {canManage && (
        <Button size="S" variant="tertiary" loading={isLoading} onClick={change}>
          {out ? t('consent.action.in', 'Opt in') : t('consent.action.out', 'Opt out')}
        </Button>
      )}
    </Flex>
  );
};
