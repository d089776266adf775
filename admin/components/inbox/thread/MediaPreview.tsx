import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { File } from '@strapi/icons';
import type { Message } from '../../../../contracts/inbox';
import { useTranslate } from '../../../hooks/useTranslate';

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

export const isMedia = (m: Message) => MEDIA_TYPES.includes(m.type);

/** Upload URLs of the local provider are paths on the Strapi server, which may not serve the admin (dev). */
const absolute = (url: string) => {
  if (/^https?:\/\//.test(url)) return url;
  const backend = (typeof window !== 'undefined' && (window as { strapi?: { backendURL?: string } }).strapi?.backendURL) || '';
  return `${backend.replace(/\/$/, '')}${url}`;
};

/** The file of a media message: an image thumbnail, or a link that opens the file. */
export const MediaPreview = ({ message }: { message: Message }) => {
  const t = useTranslate();
  const media = message.media;
  if (!media) {
    if (message.mediaState === 'pending') {
      return (
        <Typography variant="pi" textColor="neutral600">
          {t('inbox.media.pending', 'Fetching the {type}…', { type: message.type })}
        </Typography>
      );
    }
    if (message.mediaState === 'failed') {
      return (
        <Typography variant="pi" textColor="danger600">
          {t('inbox.media.failed', 'The {type} could not be fetched.', { type: message.type })}
        </Typography>
      );
    }
    return (
      <Typography variant="pi" textColor="neutral600">
        {t('inbox.media.none', '[{type}]', { type: message.type })}
      </Typography>
    );
  }
  const url = absolute(media.url);
  const name = media.filename ?? message.type;
  if ((message.type === 'image' || message.type === 'sticker') && (media.mime ?? '').startsWith('image/')) {
    return (
      <a href={url} target="_blank" rel="noreferrer" aria-label={t('inbox.media.openImage', 'Open the image {name}', { name })}>
        <img src={url} alt={name} loading="lazy" style={{ display: 'block', maxWidth: '100%', width: '24rem', maxHeight: '18rem', objectFit: 'contain', borderRadius: 4 }} />
      </a>
    );
  }
  return (
    <Box tag="a" href={url} target="_blank" rel="noreferrer" background="neutral100" hasRadius padding={2} style={{ display: 'block', textDecoration: 'none' }}>
      <Flex gap={2} alignItems="center">
        <File aria-hidden />
        <Typography textColor="primary600" ellipsis>
          {name}
        </Typography>
        <Typography variant="pi" textColor="neutral500">
          {message.type}
        </Typography>
      </Flex>
    </Box>
  );
};
