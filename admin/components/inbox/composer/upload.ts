import type { useFetchClient } from '@strapi/strapi/admin';
import type { ReplyRequest } from '../../../../contracts/inbox';

export interface UploadedFile {
  id: number;
  name: string;
  mime: string;
  url: string;
}

type MediaType = NonNullable<Extract<ReplyRequest, { type: 'media' }>['mediaType']>;

// What WhatsApp plays or shows inline; any other file goes as a document the customer downloads.
const INLINE: Record<Exclude<MediaType, 'document'>, RegExp> = {
  image: /^image\/(jpeg|png)$/,
  video: /^video\/(mp4|3gpp)$/,
  audio: /^audio\/(aac|amr|mpeg|mp4|ogg)/,
};

export const mediaTypeOf = (mime: string): MediaType =>
  (Object.keys(INLINE) as (keyof typeof INLINE)[]).find((kind) => INLINE[kind].test(mime)) ?? 'document';

type Post = ReturnType<typeof useFetchClient>['post'];

/** Puts a file in the Media Library through Strapi's upload plugin (the admin's own token). */
export const uploadFile = async (post: Post, file: File): Promise<UploadedFile> => {
  const form = new FormData();
  form.append('files', file);
  const res = await post<UploadedFile[], FormData>('/upload', form);
  const [uploaded] = Array.isArray(res.data) ? res.data : [];
  if (!uploaded?.id) throw new Error('the upload answered no file');
  return uploaded;
};
