import type { Core } from '@strapi/strapi';
import { getConfig } from '../server/utils';

/**
 * The plugin's scheduled jobs. Each is gated by the plugin's `cron.enabled` (off under
 * NODE_ENV=test) because Strapi starts plugin cron tasks even when the host turned cron off.
 * Jobs are added here as the features that need them land (template sync, recovery sweeps).
 */
export interface CronJob {
  name: string;
  rule: string;
  run: (strapi: Core.Strapi) => Promise<void>;
}

export const JOBS: CronJob[] = [];

export const startCronJobs = (strapi: Core.Strapi) => {
  if (!getConfig(strapi, 'cron')?.enabled || JOBS.length === 0) return;
  const running = new Set<string>();
  strapi.cron.add(
    Object.fromEntries(
      JOBS.map((job) => [
        `whatsapp:${job.name}`,
        {
          options: { rule: job.rule },
          // Strapi gives cron tasks no overlap protection: a slow run must not start twice.
          task: async () => {
            if (running.has(job.name)) return;
            running.add(job.name);
            try {
              await job.run(strapi);
            } catch (error) {
              strapi.log.error(`[whatsapp] cron ${job.name} failed: ${(error as Error).message}`);
            } finally {
              running.delete(job.name);
            }
          },
        },
      ])
    )
  );
};

export const stopCronJobs = (strapi: Core.Strapi) => {
  for (const job of JOBS) strapi.cron.remove(`whatsapp:${job.name}`);
};
