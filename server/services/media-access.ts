import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { MEDIA_MAX_BYTES, UID } from '../constants';
import { toId } from '../ids';
import { fetchMedia } from '../providers/media-fetch';
import { OPAQUE_MIME, showsInline } from '../media-files';
import { getService } from '../utils';
import type { AdminUser } from './inbox';

export interface MediaDownload {
  body: Readable | Buffer;
  mime: string;
  filename: string;
  size: number | null;
  /** Shown in the browser (an image, audio, a PDF) or only saved (everything else). */
  inline: boolean;
}

/** The admin path a message's file is served from; the thread fetches it with the admin token. */
export const messageMediaPath = (messageId: number) => `/whatsapp/messages/${messageId}/media`;

/**
 * A message's stored file for staff who may read its conversation: the conversation's number must
 * be one of the caller's team's (same rule as the inbox), else there is no such file for them.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async open(user: AdminUser, id: unknown): Promise<MediaDownload> {
    const notFound = () => new errors.NotFoundError('No file for this message');
    const n = toId(id);
    const message = n ? await strapi.db.query(UID.message as any).findOne({ where: { id: n }, select: ['id', 'numberId'], populate: { media: true } }) : null;
    if (!message) throw notFound();
    if (!(await getService('scope', { strapi }).canSeeNumber(user, message.numberId))) throw notFound();
    const file = message.media;
    if (!file?.url) throw notFound();
    const mime = file.mime || OPAQUE_MIME;
    const filename = file.name || `whatsapp-${message.id}${file.ext ?? ''}`;
    const size = typeof file.sizeInBytes === 'number' ? file.sizeInBytes : null;
    if (/^https?:\/\//i.test(file.url)) {
      // A cloud upload provider: its own origin, reached through the same guard as customer media.
      const origin = new URL(file.url).origin;
      const fetched = await fetchMedia(file.url, { allowedOrigins: [origin], maxBytes: MEDIA_MAX_BYTES, deadlineMs: 60_000 });
      return { body: fetched.data, mime, filename, size: fetched.data.length, inline: showsInline(mime) };
    }
    const root = path.resolve(strapi.dirs.static.public);
    const filepath = path.resolve(root, `.${file.url}`);
    if (!filepath.startsWith(`${root}${path.sep}`)) throw notFound();
    const stat = await fs.promises.stat(filepath).catch(() => null);
    if (!stat?.isFile()) throw notFound();
    return { body: fs.createReadStream(filepath), mime, filename, size: stat.size, inline: showsInline(mime) };
  },
});
