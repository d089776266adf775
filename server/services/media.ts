import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { adapterFor } from '../providers';
import { getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import type { NumberRow } from './numbers';

const MAX_ATTEMPTS = 8;
const SWEEP_MS = 10_000;
const backoffMs = (attempt: number) => Math.min(2 ** attempt * 2000, 30 * 60_000);

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif',
  'video/mp4': 'mp4', 'video/3gpp': '3gp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/amr': 'amr',
  'application/pdf': 'pdf', 'text/plain': 'txt',
};
const extensionOf = (mime: string) => EXTENSIONS[mime.split(';')[0].trim()] ?? 'bin';

/**
 * Inbound media, fetched outside the webhook request and stored through Strapi's upload plugin.
 * A failed download keeps the message, records why, and is tried again with backoff; after the
 * last attempt the message says the file could not be fetched.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  const store = async (message: any) => {
    const number = (await q(UID.number).findOne({ where: { id: message.numberId } })) as NumberRow | null;
    if (!number) throw new Error('the number is gone');
    const numbers = getService('numbers', { strapi });
    const ctx = getService('provider-calls', { strapi }).contextFor(number);
    const file = await adapterFor(number.provider).downloadMedia(ctx, numbers.toProviderNumber(number), message.mediaProviderId);
    const mimeType = message.mediaMimeType || file.mimeType;
    const given = message.payload?.document?.filename ?? message.payload?.payload?.name;
    const name = given || `whatsapp-${message.id}.${extensionOf(mimeType)}`;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'whatsapp-media-'));
    const filepath = path.join(dir, path.basename(name));
    try {
      await fs.writeFile(filepath, file.data);
      const [uploaded] = await strapi.plugin('upload').service('upload').upload({
        data: { fileInfo: { name, caption: message.text ?? undefined }, ref: UID.message, refId: message.id, field: 'media' },
        files: { filepath, originalFilename: name, mimetype: mimeType, size: file.data.length },
      });
      await q(UID.message).update({ where: { id: message.id }, data: { mediaState: 'stored', mediaError: null, mediaNextAttemptAt: null, media: uploaded.id } });
      getService('realtime', { strapi }).publish({ type: 'message.status', conversationId: message.conversationId, numberId: message.numberId, messageId: message.id, status: 'media-stored' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };

  const processOne = async (message: any) => {
    const attempts = (message.attempts ?? 0) + 1;
    try {
      await store(message);
    } catch (error) {
      const last = attempts >= MAX_ATTEMPTS;
      await q(UID.message).update({
        where: { id: message.id },
        data: {
          attempts,
          mediaState: last ? 'failed' : 'pending',
          mediaError: `${(error as Error).message}`.slice(0, 1000),
          mediaNextAttemptAt: last ? null : new Date(Date.now() + backoffMs(attempts)),
        },
      });
    }
  };

  const due = () =>
    q(UID.message).findMany({
      where: { mediaState: 'pending', $or: [{ mediaNextAttemptAt: { $null: true } }, { mediaNextAttemptAt: { $lte: new Date() } }] },
      orderBy: { id: 'asc' },
      limit: 20,
    });

  const pass = async (stopped: () => boolean) => {
    for (let batch = await due(); batch.length && !stopped(); batch = await due()) {
      // Claim each row by pushing its next attempt out, so a second worker (another instance) passes
      // it by: the claim matches only while the row is still due, which the first claim ends.
      for (const message of batch) {
        const now = new Date();
        const { count } = await q(UID.message).updateMany({
          where: { id: message.id, mediaState: 'pending', $or: [{ mediaNextAttemptAt: { $null: true } }, { mediaNextAttemptAt: { $lte: now } }] },
          data: { mediaNextAttemptAt: new Date(now.getTime() + 5 * 60_000) },
        });
        if (count === 1) await processOne(message);
      }
    }
  };

  return createWorkerLoop(strapi, 'media worker', pass, SWEEP_MS);
};
