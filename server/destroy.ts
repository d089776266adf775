import type { Core } from '@strapi/strapi';
import { stopCronJobs } from '../cron';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  stopCronJobs(strapi);
};
