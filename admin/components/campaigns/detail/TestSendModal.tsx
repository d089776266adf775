import * as React from 'react';
import { Button, Field, Flex, Modal, Typography } from '@strapi/design-system';
import type { TestSend } from '../../../../contracts/campaign-api';
import { errorOf, useNotifyError, useTestSendCampaignMutation } from '../../../api';
import { useTranslate } from '../../../hooks/useTranslate';
import { campaignErrorsOf } from '../form';

/** Sends the campaign's message now to a few phones, outside its figures, and shows what each got. */
export const TestSendModal = ({ campaignId, onClose }: { campaignId: number; onClose: () => void }) => {
  const t = useTranslate();
  const notifyError = useNotifyError();
  const [testSend, { isLoading }] = useTestSendCampaignMutation();
  const [phones, setPhones] = React.useState('');
  const [error, setError] = React.useState<string | undefined>();
  const [results, setResults] = React.useState<TestSend.Response['data'] | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      setResults(await testSend({ id: campaignId, body: { phones: phones.split(/[\s,;]+/).filter(Boolean) } }).unwrap());
    } catch (e) {
      const errors = campaignErrorsOf(errorOf(e));
      setError(Object.values(errors).join('; ') || undefined);
      notifyError(e);
    }
  };
  return (
    <Modal.Root open onOpenChange={(open) => !open && !isLoading && onClose()}>
      <Modal.Content>
        <form noValidate onSubmit={submit} aria-label={t('campaigns.test.title', 'Test send')}>
          <Modal.Header closeLabel={t('campaigns.close', 'Close')}>
            <Modal.Title>{t('campaigns.test.title', 'Test send')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="phones" error={error} hint={t('campaigns.test.hint', 'International format, separated by commas. Not counted in the campaign’s figures.')} width="100%">
                <Field.Label>{t('campaigns.test.phones', 'Phones')}</Field.Label>
                <Field.Input value={phones} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPhones(e.target.value)} placeholder="+15550001111" />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
              {results && (
                <Flex tag="ul" direction="column" alignItems="stretch" gap={1} aria-label={t('campaigns.test.results', 'Test results')}>
                  {results.map((r) => (
                    <Typography key={r.phone} tag="li" textColor={r.error ? 'danger600' : 'success600'}>
                      {r.error ? `${r.phone}: ${r.error}` : t('campaigns.test.sent', '{phone}: sent', { phone: r.phone })}
                    </Typography>
                  ))}
                </Flex>
              )}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button">
                {t('campaigns.close', 'Close')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={isLoading} disabled={!phones.trim()}>
              {t('campaigns.test.send', 'Send test')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
