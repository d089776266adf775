import type { Core } from '@strapi/strapi';
import { stopCronJobs } from './cron';
import { stopIndexes } from './db-indexes';
import { getService } from './utils';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await stopCronJobs(strapi);
  // The campaign feed queues into the outbox: it stops first.
  await getService('campaigns', { strapi }).stop();
  await getService('inbound', { strapi }).stop();
  await getService('media', { strapi }).stop();
  await getService('outbox', { strapi }).stop();
  await getService('notifications', { strapi }).stop();
  getService('assistant-knowledge', { strapi }).stop();
  await getService('provider-calls', { strapi }).flushLog();
  await getService('cluster', { strapi }).stop();
  // An index still building holds a connection the database's close would cut: it is cancelled, not waited for.
  await stopIndexes(strapi);
};
