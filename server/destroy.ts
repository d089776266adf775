import type { Core } from '@strapi/strapi';
import { stopCronJobs } from './cron';
import { getService } from './utils';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await stopCronJobs(strapi);
  await getService('inbound', { strapi }).stop();
  await getService('media', { strapi }).stop();
  await getService('dispatcher', { strapi }).stop();
  await getService('notifications', { strapi }).stop();
  await getService('campaigns', { strapi }).stop();
  await getService('cluster', { strapi }).stop();
};
