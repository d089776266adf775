import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { MEDIA_FOLDER_NAME, UID } from '../constants';
import { hostRefusal, safeFileName, storedType, typeOfContent, typeOfName, type UploadSecurity } from '../media-files';
import { MediaRefusedError } from '../providers/media-fetch';
import { getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import { backoffMs, createClaims, type Claimable } from '../claims';
import type { NumberRow } from '../number-rows';

const MAX_ATTEMPTS = 8;
const SWEEP_MS = 10_000;
/** Longer than a download may take: a claim this old was left by a process that stopped. */
const LEASE_MS = 5 * 60_000;
const BACKOFF = { firstMs: 2000, capMs: 30 * 60_000 };
const BATCH = 20;

/** The name the customer gave the file, where each provider's stored payload keeps it (Meta, Gupshup, AiSensy). */
const givenName = (message: any): unknown => {
  const p = message.payload ?? {};
  const aisensy = p.data?.message?.message_content;
  return p[message.type]?.filename ?? p.payload?.name ?? (aisensy?.[message.type] ?? aisensy?.[String(message.type).toUpperCase()])?.filename;
};

/**
 * Inbound media, fetched outside the webhook request and stored through Strapi's upload plugin.
 * A failed download keeps the message, records why, and is tried again with backoff; after the
 * last attempt the message says the file could not be fetched. A refusal (private address, not
 * https, too large) can never work, so it fails the message at once.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** The Media Library folder of customer files, created on first use. */
  let folder: Promise<number> | null = null;
  const folderId = () =>
    (folder ??= (async () => {
      const where = { name: MEDIA_FOLDER_NAME, parent: { id: { $null: true } } };
      const found = await q('plugin::upload.folder').findOne({ where });
      return (found ?? (await strapi.plugin('upload').service('folder').create({ name: MEDIA_FOLDER_NAME, parent: null }))).id as number;
    })().catch((error) => {
      folder = null;
      throw error;
    }));

  const store = async (message: any) => {
    const number = (await q(UID.number).findOne({ where: { id: message.numberId } })) as NumberRow | null;
    if (!number) throw new Error('the number is gone');
    // The host's own upload security (config/plugins.ts `upload.security`) comes on top of ours: a denied type is never stored.
    const security = strapi.config.get(['plugin::upload', 'security'] as any, {}) as UploadSecurity;
    const refusedAsDeclared = hostRefusal(security, [message.mediaMimeType]);
    if (refusedAsDeclared) throw new MediaRefusedError(refusedAsDeclared);
    const file = await getService('provider-calls', { strapi }).for(number).downloadMedia(message.mediaProviderId);
    const type = storedType(message.mediaMimeType || file.mimeType);
    // As the upload plugin does: the name's extension and what the bytes really are count as well as the declared types.
    const refused = hostRefusal(security, [message.mediaMimeType, file.mimeType, type.mime, typeOfName(givenName(message)), await typeOfContent(file.data)]);
    if (refused) throw new MediaRefusedError(refused);
    const name = safeFileName(givenName(message), `whatsapp-${message.id}.${type.ext}`);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'whatsapp-media-'));
    // The stored extension follows the (checked) type, never the customer's name: it decides how /uploads serves the file.
    const filepath = path.join(dir, `whatsapp-${message.id}.${type.ext}`);
    try {
      await fs.writeFile(filepath, file.data);
      const [uploaded] = await strapi.plugin('upload').service('upload').upload({
        data: { fileInfo: { name, caption: message.text ?? undefined, folder: await folderId() }, ref: UID.message, refId: message.id, field: 'media' },
        files: { filepath, originalFilename: path.basename(filepath), mimetype: type.mime, size: file.data.length },
      });
      await q(UID.message).update({ where: { id: message.id }, data: { mediaState: 'stored', mediaError: null, mediaNextAttemptAt: null, media: uploaded.id } });
      getService('realtime', { strapi }).publish({ type: 'message.status', conversationId: message.conversationId, numberId: message.numberId, messageId: message.id, status: 'media-stored' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };

  // The retry time is the lease too: a claim pushes it out, so another worker (another instance) passes the row by.
  // Attempts count failed downloads only, so a claim leaves them alone.
  const claims = createClaims<Claimable & Record<string, any>>(strapi, { uid: UID.message, leaseMs: LEASE_MS, pending: { mediaState: 'pending' }, leaseField: 'mediaNextAttemptAt', countsAttempts: false });

  const processOne = async (message: any) => {
    const attempts = (message.attempts ?? 0) + 1;
    try {
      await store(message);
    } catch (error) {
      const last = attempts >= MAX_ATTEMPTS || error instanceof MediaRefusedError;
      await claims.release([message], {
        attempts,
        mediaState: last ? 'failed' : 'pending',
        mediaError: `${(error as Error).message}`.slice(0, 1000),
        mediaNextAttemptAt: last ? null : new Date(Date.now() + backoffMs(attempts, BACKOFF)),
      });
    }
  };

  const pass = async (stopped: () => boolean) => {
    for (let batch = await claims.due(0, BATCH); batch.length && !stopped(); batch = await claims.due(0, BATCH)) {
      // Each row is claimed just before its download, so the rest of the batch stays free for other instances meanwhile.
      for (const message of batch) {
        const [claimed] = await claims.claim([message]);
        if (claimed) await processOne(claimed);
      }
    }
  };

  return createWorkerLoop(strapi, 'media worker', pass, SWEEP_MS);
};
