import type { ReplyRequest } from '../../../../contracts/inbox';

type MediaType = NonNullable<Extract<ReplyRequest, { type: 'media' }>['mediaType']>;

// What WhatsApp plays or shows inline; any other file goes as a document the customer downloads.
const INLINE: Record<Exclude<MediaType, 'document'>, RegExp> = {
  image: /^image\/(jpeg|png)$/,
  video: /^video\/(mp4|3gpp)$/,
  audio: /^audio\/(aac|amr|mpeg|mp4|ogg)/,
};

export const mediaTypeOf = (mime: string): MediaType =>
  (Object.keys(INLINE) as (keyof typeof INLINE)[]).find((kind) => INLINE[kind].test(mime)) ?? 'document';
