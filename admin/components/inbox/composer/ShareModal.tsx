import * as React from 'react';
import { Button, Field, Flex, Modal, TextInput } from '@strapi/design-system';
import type { ReplyRequest } from '../../../../contracts/inbox';
import { useTranslate } from '../../../hooks/useTranslate';

type Share = Extract<ReplyRequest, { type: 'location' | 'contacts' }>;

export interface ShareModalProps {
  kind: 'location' | 'contacts';
  onClose: () => void;
  /** Resolves true when the message was accepted (the modal then closes). */
  onSubmit: (body: Share) => Promise<boolean>;
}

const LOCATION_FIELDS = ['latitude', 'longitude', 'name', 'address'] as const;
const CONTACT_FIELDS = ['name', 'phone', 'email'] as const;
const REQUIRED = new Set(['latitude', 'longitude', 'phone', 'contactName']);

/** A place (latitude, longitude, its name and address) or a contact card (name, phone, email) sent as its own WhatsApp message. */
export const ShareModal = ({ kind, onClose, onSubmit }: ShareModalProps) => {
  const t = useTranslate();
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [sending, setSending] = React.useState(false);
  const value = (key: string) => (values[key] ?? '').trim();
  const isLocation = kind === 'location';
  const numberOk = (key: string, limit: number) => value(key) !== '' && Number.isFinite(Number(value(key))) && Math.abs(Number(value(key))) <= limit;
  const ready = isLocation ? numberOk('latitude', 90) && numberOk('longitude', 180) : value('contactName') !== '' && value('phone') !== '';

  const labels: Record<string, string> = {
    latitude: t('inbox.share.latitude', 'Latitude'),
    longitude: t('inbox.share.longitude', 'Longitude'),
    name: t('inbox.share.placeName', 'Name of the place (optional)'),
    address: t('inbox.share.address', 'Address (optional)'),
    contactName: t('inbox.share.contactName', 'Name'),
    phone: t('inbox.share.phone', 'Phone'),
    email: t('inbox.share.email', 'Email (optional)'),
  };
  const fields: string[] = isLocation ? [...LOCATION_FIELDS] : CONTACT_FIELDS.map((f) => (f === 'name' ? 'contactName' : f));
  const optional = (key: string) => (value(key) ? { [key === 'contactName' ? 'name' : key]: value(key) } : {});

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!ready || sending) return;
    setSending(true);
    const body: Share = isLocation
      ? { type: 'location', location: { latitude: Number(value('latitude')), longitude: Number(value('longitude')), ...optional('name'), ...optional('address') } }
      : { type: 'contacts', contact: { name: value('contactName'), phone: value('phone'), ...optional('email') } };
    const ok = await onSubmit(body);
    setSending(false);
    if (ok) onClose();
  };

  const title = isLocation ? t('inbox.share.locationTitle', 'Send a place') : t('inbox.share.contactTitle', 'Send a contact card');
  return (
    <Modal.Root open onOpenChange={(open) => !open && !sending && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} aria-label={title} noValidate>
          <Modal.Header closeLabel={t('inbox.modal.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              {fields.map((key) => (
                <Field.Root key={key} name={key} required={REQUIRED.has(key)}>
                  <Field.Label>{labels[key]}</Field.Label>
                  <TextInput value={values[key] ?? ''} inputMode={key === 'latitude' || key === 'longitude' ? 'decimal' : undefined} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [key]: e.target.value })} />
                </Field.Root>
              ))}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={sending}>
                {t('inbox.modal.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={sending} disabled={!ready}>
              {t('inbox.share.send', 'Send')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
