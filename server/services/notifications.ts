import type { Core } from '@strapi/strapi';
import { firingWorker } from '../notifications/firings';
import { notificationMiddleware } from '../notifications/middleware';
import { remind } from '../notifications/reminders';
import { getService } from '../utils';

/**
 * CRM events that send templates (the parts live in server/notifications/): the Document Service
 * middleware records firings inside the host's write, the worker (start/stop/kick/idle) sends
 * them after commit, and the cron job's `remind` records date-relative reminders.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const worker = firingWorker(strapi);
  return {
    ...worker,

    /** Registered in the plugin's register(). */
    middleware() {
      return notificationMiddleware(strapi, () => getService('notification-rules', { strapi }).active(), () => worker.kick());
    },

    /** Records today's (and yesterday's) reminders and wakes the worker; answers how many firings it looked at. */
    async remind(now = new Date()) {
      const created = await remind(strapi, now);
      if (created) worker.kick();
      return created;
    },
  };
};
