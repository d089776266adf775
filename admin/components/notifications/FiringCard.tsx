import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import type { Firing } from '../../../contracts/notifications';
import type { WhatsAppTemplate } from '../../../contracts/templates';
import { useTranslate } from '../../hooks/useTranslate';
import { renderTemplate } from './form';
import { eventLabel, firingStatus, statusColors, statusLabel } from './messages';

type Param = { text?: string; name?: string };

const Line = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex gap={2} alignItems="baseline" wrap="wrap">
    <Typography variant="pi" fontWeight="semiBold" textColor="neutral700">
      {label}
    </Typography>
    <Typography variant="pi" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
      {children}
    </Typography>
  </Flex>
);

/** One firing's trace: matched or why not, the parameters rendered, the recipient, and what became of the message. */
export const FiringCard = ({ firing, template }: { firing: Firing; template?: WhatsAppTemplate }) => {
  const t = useTranslate();
  const status = firingStatus(firing);
  const trace = firing.trace;
  const params = (trace?.parameters ?? {}) as { header?: Param[]; body?: Param[]; buttons?: { index: number; params: Param[] }[] };
  const rendered = trace?.parameters ? renderTemplate(template, trace.parameters) : null;
  const list = [
    ...(params.header ?? []).map((p, i) => `${t('notifications.form.param.header', 'Header')} {{${p.name ?? i + 1}}}: ${p.text ?? ''}`),
    ...(params.body ?? []).map((p, i) => `${t('notifications.form.param.body', 'Body')} {{${p.name ?? i + 1}}}: ${p.text ?? ''}`),
    ...(params.buttons ?? []).map((b) => `${t('notifications.firing.button', 'Button {n}', { n: b.index + 1 })}: ${b.params.map((p) => p.text).join(', ')}`),
  ];
  const message = trace?.message;

  return (
    <Box tag="li" aria-label={t('notifications.firing.label', 'Firing {id}', { id: firing.id })} background="neutral0" hasRadius borderColor="neutral200" padding={3} style={{ listStyle: 'none' }}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
          <Typography variant="pi" textColor="neutral600">
            {new Date(firing.createdAt).toLocaleString()} · {eventLabel(t, firing.event)} · {firing.recordDocumentId}
          </Typography>
          <Badge {...statusColors(status)}>{statusLabel(t, status)}</Badge>
        </Flex>
        {trace && (
          <Line label={t('notifications.firing.matched', 'Matched')}>
            {trace.matched ? t('notifications.firing.yes', 'yes') : t('notifications.firing.no', 'no')}
            {trace.reason ? ` — ${trace.reason}` : ''}
          </Line>
        )}
        {firing.error && <Line label={t('notifications.firing.error', 'Why')}>{firing.error}</Line>}
        {trace?.recipient !== undefined && <Line label={t('notifications.firing.recipient', 'Recipient')}>{trace.recipient ?? '—'}</Line>}
        {list.length > 0 && <Line label={t('notifications.firing.parameters', 'Parameters')}>{list.join(' · ')}</Line>}
        {trace?.redacted && (
          <Typography variant="pi" textColor="neutral600">
            {t('notifications.firing.redacted', 'Values shown as ••• come from fields you may not read in the Content Manager.')}
          </Typography>
        )}
        {rendered && (
          <Box background="success100" hasRadius padding={2}>
            <Typography variant="omega" textColor="neutral800" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="rendered-template">
              {rendered}
            </Typography>
          </Box>
        )}
        {message && (
          <Line label={t('notifications.firing.message', 'Message')}>
            {[statusLabel(t, message.status), message.providerMessageId, [message.errorCode, message.errorText].filter(Boolean).join(' ')].filter(Boolean).join(' · ')}
          </Line>
        )}
      </Flex>
    </Box>
  );
};
