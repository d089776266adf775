import type { Core } from '@strapi/strapi';
import type { Job, Queue, Worker } from 'bullmq';
import { UID } from '../constants';
import { loadBullmq } from '../optional-deps';
import { getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import type { Delivery, Row } from './deliver';
import { numberKey, pairKey, perSecond, PAIR_LIMIT, PAIR_WINDOW_MS, type OutboxDriver } from './driver';
import { reviewStalled } from './stalled';

/** Sends each instance works on at once, how far ahead of its slot a send waits in memory, sweeps. */
const CONCURRENCY = 64;
const MAX_AHEAD_MS = 2_000;
const SWEEP_MS = 10_000;

type SendJob = { messageId: number; slotAt?: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const jobId = (messageId: number) => `message-${messageId}`;

/**
 * Several instances (Redis configured): BullMQ carries the sends, one job per row (job id from the
 * row id, so a row is never queued twice), worked on by every instance. The number's rate and the
 * recipient's pair rate are kept in Redis for the whole cluster, and each claim records the
 * instance, so a row left `sending` goes to review only once that instance has stopped beating.
 */
export const createBullmqDriver = (strapi: Core.Strapi, delivery: Delivery): OutboxDriver => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const cluster = () => getService('cluster', { strapi });
  let queue: Queue | null = null;
  let worker: Worker | null = null;
  let connections: { quit: () => Promise<unknown> }[] = [];
  /** Rows this instance has claimed (or is about to) and is sending now. */
  const sendingHere = new Set<number>();

  /** One job per row; BullMQ ignores a job id it already holds, so adding a row twice queues it once. */
  const addJobs = async (rows: Row[]) => {
    if (!queue || !rows.length) return;
    const now = Date.now();
    await queue.addBulk(
      rows.map((row) => ({
        name: 'send',
        data: { messageId: row.id },
        opts: { jobId: jobId(row.id), delay: Math.max(0, (row.nextAttemptAt ? new Date(row.nextAttemptAt).getTime() : now) - now), removeOnComplete: true, removeOnFail: true },
      }))
    );
  };

  /**
   * One row's turn, on whichever instance BullMQ gave the job to. The row reserves the number's
   * next slot once; a slot further ahead than a moment is kept in the job's data while the job
   * waits in Redis (delayed), so a long backlog costs neither memory nor repeated work.
   */
  const sendJob = async (job: Job<SendJob>, token?: string) => {
    const later = async (at: number, data: SendJob = { messageId: job.data.messageId }) => {
      if (data.slotAt !== job.data.slotAt) await job.updateData(data);
      await job.moveToDelayed(Math.max(at, Date.now() + 1), token);
      throw new (loadBullmq().DelayedError)();
    };
    const row = await q(UID.message).findOne({ where: { id: job.data.messageId } });
    if (!row || row.direction !== 'out' || row.status !== 'queued') return;
    if (row.nextAttemptAt && new Date(row.nextAttemptAt).getTime() > Date.now() + 50) return later(new Date(row.nextAttemptAt).getTime());
    const ready = await delivery.prepare(row);
    if (!ready) return;
    const limits = cluster().limits();
    const mps = perSecond(ready.number);
    const slotAt = job.data.slotAt ?? Date.now() + (await limits.slot(numberKey(row.numberId), mps, true));
    if (slotAt - Date.now() > MAX_AHEAD_MS) return later(slotAt - MAX_AHEAD_MS / 2, { messageId: row.id, slotAt });
    await sleep(slotAt - Date.now());
    // At send time: a recipient's sends are spaced by when they go, not by when they were queued.
    const pairWait = await limits.window(pairKey(row.numberId, ready.conversation.customerWaId), PAIR_LIMIT, PAIR_WINDOW_MS);
    if (pairWait > 0) return later((await delivery.putOff(row, pairWait)).getTime());
    // Known as ours before the claim, so a sweep never takes our own send for an orphan.
    sendingHere.add(row.id);
    try {
      const claimed = await delivery.claim(row, { dispatchedBy: cluster().instanceId });
      if (!claimed) return;
      const retryAt = await delivery.deliver(claimed, ready, (call) => limits.admitted(numberKey(row.numberId), mps, call));
      if (retryAt) return later(retryAt.getTime());
    } finally {
      sendingHere.delete(row.id);
    }
  };

  /** Rows left `sending` that no send owns: another instance's once it stopped, this one's once its lease ran out (server/outbox/stalled.ts). */
  const reviewOrphans = () => reviewStalled(strapi, { ownedHere: (id) => sendingHere.has(id), cluster: { self: cluster().instanceId, alive: (ids) => cluster().alive(ids) } });

  /** Due rows without a job (queued before Redis was configured, or while it was unreachable) get one. */
  const sweep = async (stopped: () => boolean) => {
    await reviewOrphans();
    if (stopped()) return;
    const rows = await q(UID.message).findMany({
      where: { direction: 'out', status: 'queued', $or: [{ nextAttemptAt: { $null: true } }, { nextAttemptAt: { $lte: new Date() } }] },
      select: ['id', 'nextAttemptAt'],
      orderBy: { id: 'asc' },
      limit: 1000,
    });
    await addJobs(rows);
  };
  const loop = createWorkerLoop(strapi, 'outbox sweep', sweep, SWEEP_MS);

  return {
    // Only rows of instances that stopped go to review: another live instance's sends are its own.
    async start() {
      const prefix = `${cluster().prefix()}:bull`;
      const queueConnection = cluster().connection();
      const workerConnection = cluster().connection();
      connections = [queueConnection, workerConnection];
      const { Queue, Worker } = loadBullmq();
      queue = new Queue('send', { connection: queueConnection, prefix });
      // A dead instance's jobs go back to the others within ~25 s (lock not renewed, then the stalled check).
      worker = new Worker('send', sendJob, { connection: workerConnection, prefix, concurrency: CONCURRENCY, lockDuration: 15_000, stalledInterval: 10_000 });
      worker.on('failed', (job, error) => strapi.log.error(`[whatsapp] message ${job?.data?.messageId}: ${error.message}`));
      worker.on('error', (error) => strapi.log.error(`[whatsapp] outbox queue: ${error.message}`));
      loop.start();
    },
    async stop() {
      await loop.stop();
      await worker?.close();
      await queue?.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
      worker = null;
      queue = null;
      connections = [];
    },
    kick: () => loop.kick(),
    idle: () => loop.idle(),
    async schedule(rows: Row[]) {
      // Should Redis be unreachable now, the rows stay queued and the next sweep gives them their jobs.
      await addJobs(rows).catch((error) => strapi.log.error(`[whatsapp] message(s) ${rows.map((r) => r.id).join(', ')} not queued yet: ${(error as Error).message}`));
    },
  };
};
