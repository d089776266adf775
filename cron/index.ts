import cron, { type ScheduledTask } from 'node-cron';
import type { Core } from '@strapi/strapi';
import { getConfig, getService } from '../server/utils';

/**
 * The plugin's scheduled jobs, on node-cron. Gated by the plugin's `cron.enabled` (off under
 * NODE_ENV=test unless a test turns it on); `noOverlap` keeps a slow run from starting twice.
 * Several instances each run them: jobs must be safe to repeat (they are).
 */
export interface CronJob {
  name: string;
  /** The config key under `cron` that can override the schedule. */
  scheduleKey: 'templateSync' | 'reminders';
  defaultSchedule: string;
  run: (strapi: Core.Strapi) => Promise<unknown>;
}

export const JOBS: CronJob[] = [
  {
    name: 'template-sync',
    scheduleKey: 'templateSync',
    defaultSchedule: '17 * * * *',
    run: (strapi) => getService('templates', { strapi }).sync(),
  },
  {
    name: 'notification-reminders',
    scheduleKey: 'reminders',
    defaultSchedule: '5 * * * *',
    run: (strapi) => getService('notifications', { strapi }).remind(),
  },
];

const tasks = new WeakMap<Core.Strapi, ScheduledTask[]>();

export const startCronJobs = (strapi: Core.Strapi) => {
  const settings = getConfig(strapi, 'cron') ?? {};
  if (!settings.enabled) return;
  const started = JOBS.map((job) =>
    cron.schedule(
      settings[job.scheduleKey] ?? job.defaultSchedule,
      async () => {
        try {
          await job.run(strapi);
        } catch (error) {
          strapi.log.error(`[whatsapp] cron ${job.name} failed: ${(error as Error).message}`);
        }
      },
      { name: `whatsapp:${job.name}`, noOverlap: true }
    )
  );
  tasks.set(strapi, started);
};

export const stopCronJobs = async (strapi: Core.Strapi) => {
  for (const task of tasks.get(strapi) ?? []) await task.destroy();
  tasks.delete(strapi);
};
