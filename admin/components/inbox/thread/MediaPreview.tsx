import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
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

/** Shown as a thumbnail: raster images only (an SVG can carry script). */
const INLINE_IMAGES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** Customer files come from an admin route that wants the admin token, which an <img src> cannot send. */
const isProtected = (url: string) => url.startsWith('/whatsapp/');

/**
 * A blob URL for a protected file. A blob URL runs in the admin's origin, so anything but a raster
 * image is retyped as an opaque download, whatever the server said.
 */
const useProtectedUrl = (url: string | null, mime: string | null) => {
  const { get } = useFetchClient();
  const [objectUrl, setObjectUrl] = React.useState<string | null>(null);
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => {
    if (!url || !isProtected(url)) return undefined;
    let created: string | null = null;
    let live = true;
    setFailed(false);
    get<Blob>(url, { responseType: 'blob' } as any)
      .then(({ data }) => {
        if (!live) return;
        const safe = INLINE_IMAGES.includes(mime ?? '') && data.type === mime ? data : new Blob([data], { type: 'application/octet-stream' });
        created = URL.createObjectURL(safe);
        setObjectUrl(created);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [url, mime, get]);
  return { objectUrl, failed };
};

/** The file of a media message: an image thumbnail, or a link that opens (or, for a customer's file, saves) the file. */
export const MediaPreview = ({ message }: { message: Message }) => {
  const t = useTranslate();
  const media = message.media;
  const isProtectedFile = Boolean(media && isProtected(media.url));
  const { objectUrl, failed } = useProtectedUrl(media?.url ?? null, media?.mime ?? null);
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
  const name = media.filename ?? message.type;
  if (isProtectedFile && !objectUrl) {
    return (
      <Typography variant="pi" textColor={failed ? 'danger600' : 'neutral600'}>
        {failed ? t('inbox.media.failed', 'The {type} could not be fetched.', { type: message.type }) : t('inbox.media.loading', 'Loading the {type}…', { type: message.type })}
      </Typography>
    );
  }
  const url = objectUrl ?? absolute(media.url);
  // A customer's file opens only if it is a raster image; anything else is saved, never shown by the browser.
  const download = isProtectedFile && !INLINE_IMAGES.includes(media.mime ?? '') ? { download: name } : {};
  if ((message.type === 'image' || message.type === 'sticker') && INLINE_IMAGES.includes(media.mime ?? '')) {
    return (
      <a href={url} target="_blank" rel="noreferrer" aria-label={t('inbox.media.openImage', 'Open the image {name}', { name })}>
        <img src={url} alt={name} loading="lazy" style={{ display: 'block', maxWidth: '100%', width: '24rem', maxHeight: '18rem', objectFit: 'contain', borderRadius: 4 }} />
      </a>
    );
  }
  return (
    <Box tag="a" href={url} target="_blank" rel="noreferrer" {...download} background="neutral100" hasRadius padding={2} style={{ display: 'block', textDecoration: 'none' }}>
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
