import { Box, Button, EmptyStateLayout, Flex, Loader, Modal, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import type { NotificationRule } from '../../../contracts/notifications';
import { useListFiringsQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FiringCard } from './FiringCard';
import { templateKey } from './form';
import { useApprovedTemplates } from './useTemplates';

/** How often the open trace refreshes: a message's status arrives by webhook a moment after it is queued. */
const POLL_MS = 2_000;
/** The newest firings shown (the API keeps answering older ones up to 200). */
const PAGE = 50;

/** A rule's firings, newest first, refreshed while open. */
export const FiringsModal = ({ rule, onClose }: { rule: NotificationRule; onClose: () => void }) => {
  const t = useTranslate();
  const query = useListFiringsQuery({ ruleId: rule.id, limit: PAGE }, { pollingInterval: POLL_MS });
  const firings = query.data ?? [];
  const templates = useApprovedTemplates(rule.numberId);
  const template = templates.templates.find((tpl) => templateKey(tpl) === templateKey(rule.template));

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('notifications.form.close', 'Close')}>
          <Modal.Title>{t('notifications.firings.title', 'Firings of {name}', { name: rule.name })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {query.isLoading && (
            <Flex justifyContent="center" padding={6}>
              <Loader>{t('notifications.firings.loading', 'Loading firings…')}</Loader>
            </Flex>
          )}
          {query.isError && !query.data && (
            <Flex direction="column" gap={3} padding={6}>
              <Typography textColor="danger600">{t('notifications.firings.error', 'Could not load the firings.')}</Typography>
              <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={query.refetch}>
                {t('notifications.retry', 'Try again')}
              </Button>
            </Flex>
          )}
          {query.data && firings.length === 0 && (
            <EmptyStateLayout icon={<EmptyDocuments width="10rem" />} content={t('notifications.firings.empty', 'This rule has not fired yet. Its events and test sends show up here.')} />
          )}
          {query.data && firings.length > 0 && (
            <Box tag="ul" aria-label={t('notifications.firings.list', 'Firings')}>
              <Flex direction="column" alignItems="stretch" gap={2}>
                {firings.map((f) => (
                  <FiringCard key={f.id} firing={f} template={template} />
                ))}
              </Flex>
            </Box>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('notifications.form.close', 'Close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
