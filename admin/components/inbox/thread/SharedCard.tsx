import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { mapUrl, type Message } from '../../../../contracts/inbox';
import { useTranslate } from '../../../hooks/useTranslate';

/** Whether the message is a place or a contact card (shown by `SharedCard`, not as its text). */
export const isShared = (m: Message) => Boolean(m.location || m.contact);

/** A location (name, address, a map link) or a contact card (name, phone, email), as WhatsApp shows them. */
export const SharedCard = ({ message }: { message: Message }) => {
  const t = useTranslate();
  const { location, contact } = message;
  if (location) {
    return (
      <Flex direction="column" alignItems="flex-start" gap={1} data-testid="shared-location">
        <Typography variant="pi" fontWeight="bold" textColor="neutral600">
          {t('inbox.message.location', '📍 Location')}
        </Typography>
        {location.name && <Typography fontWeight="semiBold">{location.name}</Typography>}
        {location.address && <Typography textColor="neutral700">{location.address}</Typography>}
        <Link href={mapUrl(location)} isExternal>
          {t('inbox.message.openMap', 'Open in maps ({latitude}, {longitude})', { latitude: location.latitude, longitude: location.longitude })}
        </Link>
      </Flex>
    );
  }
  if (!contact) return null;
  return (
    <Box data-testid="shared-contact">
      <Typography variant="pi" fontWeight="bold" textColor="neutral600">
        {t('inbox.message.contact', '👤 Contact card')}
      </Typography>
      <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={1}>
        <Typography fontWeight="semiBold">{contact.name}</Typography>
        <Link href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</Link>
        {contact.email && <Link href={`mailto:${contact.email}`}>{contact.email}</Link>}
      </Flex>
    </Box>
  );
};
