import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Core } from '@strapi/strapi';
import { cronLockKey } from '../keys';
import { getConfig, getService } from '../utils';

/**
 * The plugin's scheduled jobs, on node-cron. Gated by the plugin's `cron.enabled` (off under
 * NODE_ENV=test unless a test turns it on); `noOverlap` keeps a slow run from starting twice.
 * With several instances (Redis configured) each tick runs once in the cluster: node-cron asks a
 * run coordinator before each tick, and ours claims the tick in Redis and holds the job's lock
 * (SET NX PX with a token, renewed while it runs, released when it ends). The jobs stay safe to
 * repeat all the same.
 */
export interface CronJob {
  name: string;
  /** The config key under `cron` that can override the schedule. */
  scheduleKey: 'templateSync' | 'reminders' | 'logRetention' | 'campaigns' | 'bots';
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
  {
    // Every minute: a scheduled campaign starts within a minute of its time (one occurrence per due time, see server/campaigns/actions.ts).
    name: 'campaign-schedule',
    scheduleKey: 'campaigns',
    defaultSchedule: '* * * * *',
    run: (strapi) => getService('campaigns', { strapi }).tick(),
  },
  {
    // Every minute: idle nudges and no-staff-reply bots go within a minute of their time (once each, by key).
    name: 'bots-timed',
    scheduleKey: 'bots',
    defaultSchedule: '* * * * *',
    run: (strapi) => getService('bots', { strapi }).tick(),
  },
  {
    name: 'log-retention',
    scheduleKey: 'logRetention',
    defaultSchedule: '41 3 * * *',
    run: (strapi) => getService('logs', { strapi }).prune(),
  },
];

const tasks = new WeakMap<Core.Strapi, ScheduledTask[]>();
/** How long a claimed tick stays claimed: longer than any clock skew between instances. */
const TICK_TTL_MS = 10 * 60_000;

/** node-cron names a tick `<task name>:<tick ISO time>`, the same on every instance; the job's own name keys the run lock. */
const coordinator = (strapi: Core.Strapi, job: CronJob): RunCoordinator => {
  const releases = new Map<string, () => Promise<void>>();
  return {
    async shouldRun(key) {
      const release = await getService('cluster', { strapi }).claimTick(cronLockKey(job.name), key, TICK_TTL_MS);
      if (release) releases.set(key, release);
      return release !== null;
    },
    async onComplete(key) {
      const release = releases.get(key);
      releases.delete(key);
      await release?.();
    },
  };
};

export const startCronJobs = (strapi: Core.Strapi) => {
  const settings = getConfig(strapi, 'cron') ?? {};
  if (!settings.enabled) return;
  const clustered = getService('cluster', { strapi }).enabled();
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
      { name: `whatsapp:${job.name}`, noOverlap: true, ...(clustered ? { distributed: true, runCoordinator: coordinator(strapi, job), distributedLease: TICK_TTL_MS } : {}) }
    )
  );
  tasks.set(strapi, started);
};

export const stopCronJobs = async (strapi: Core.Strapi) => {
  for (const task of tasks.get(strapi) ?? []) await task.destroy();
  tasks.delete(strapi);
};
