import type { Core } from '@strapi/strapi';
import { startCronJobs } from './cron';
import { ensureIndexes } from './db-indexes';
import { getService } from './utils';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Exactly-once applying rests on INSERT … RETURNING and partial indexes, which MySQL lacks.
  if (!['sqlite', 'postgres'].includes(strapi.db.dialect.client)) {
    throw new Error(`[whatsapp] this plugin runs on SQLite or PostgreSQL; this app's database is ${strapi.db.dialect.client}`);
  }
  if (!getService('crypto', { strapi }).isConfigured()) {
    strapi.log.warn(
      '[whatsapp] No encryption key (WHATSAPP_ENCRYPTION_KEY): numbers with credentials cannot be saved until one is set.'
    );
  }
  // On PostgreSQL the indexes build in the background, concurrently with writes.
  await ensureIndexes(strapi);
  // Several instances: connect to Redis first; the live events of every instance reach this one's streams.
  await getService('cluster', { strapi }).start();
  await getService('realtime', { strapi }).start();
  // Applies webhook rows stored before a crash or restart, then keeps up with new ones.
  getService('inbound', { strapi }).start();
  getService('media', { strapi }).start();
  await getService('outbox', { strapi }).start();
  getService('notifications', { strapi }).start();
  getService('campaigns', { strapi }).start();
  startCronJobs(strapi);
  // The assistant's search index lives in memory: built from the stored chunks before the first question.
  await getService('assistant-knowledge', { strapi }).warm();
};
