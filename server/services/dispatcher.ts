import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import axios from 'axios';
import type { Job, Queue, Worker } from 'bullmq';
import { errors } from '@strapi/utils';
import type { ReplyRequest } from '../../contracts/inbox';
import { STAFF_REPLY_SOURCES, UID } from '../constants';
import { adapterFor, UnsupportedByProviderError, type OutboundMessage } from '../providers';
import { loadBullmq } from '../optional-deps';
import { RateLimiter } from '../rate-limiter';
import { assertTemplateParams, templateText } from '../template-params';
import { getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import type { NumberRow } from './numbers';

const MAX_ATTEMPTS = 6;
const BATCH = 100;
const MAX_IN_FLIGHT = 64;
const SWEEP_MS = 2_000;
/** While a pass works through fetched rows, it looks for other numbers' rows at least this often. */
const REFETCH_MS = 100;
/** Meta allows about one message every 6 s to one person with short bursts; stay well under it. */
const PAIR_LIMIT = 10;
const PAIR_WINDOW_MS = 60_000;
const backoffMs = (attempt: number) => Math.min(4 ** attempt * 500, 10 * 60_000);
/** Several instances: sends each instance works on at once, how far ahead of its slot a send waits in memory, sweeps. */
const CLUSTER_CONCURRENCY = 64;
const MAX_AHEAD_MS = 2_000;
const CLUSTER_SWEEP_MS = 10_000;
/** A switched-off number's queued rows look again this often (and at once when it is switched on). */
const INACTIVE_RECHECK_MS = 60_000;
const NUMBER_OFF = 'waiting: the number is switched off';
const REVIEW = { status: 'review', errorClass: 'permanent', errorText: 'interrupted while sending; not resent automatically, check with the customer before sending again' };

type Row = Record<string, any>;
const replyKey = (conversationId: number, key: string) => `reply:${conversationId}:${key}`;
type SendJob = { messageId: number; slotAt?: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The one way out. Every message (inbox, campaign, notification, bot) is a `message` row first,
 * `queued`; this worker claims rows, waits for the number's rate and the recipient's pair rate,
 * calls the provider once, and records the outcome. A row caught mid-send by a crash is never
 * resent automatically: it is put up for review.
 *
 * Several instances (Redis configured): BullMQ carries the sends, one job per row (job id from the
 * row id, so a row is never queued twice), worked on by every instance. The number's rate and the
 * recipient's pair rate are kept in Redis for the whole cluster, and each claim records the
 * instance, so a row left `sending` goes to review only once that instance has stopped beating.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const limiter = new RateLimiter();

  const fail = (path: string, message: string) => {
    throw new errors.ValidationError(message, { errors: [{ path: [path], message, name: 'ValidationError', value: null }] });
  };

  const kindOfMime = (mime: string) => (/^image\//.test(mime) ? 'image' : /^video\//.test(mime) ? 'video' : /^audio\//.test(mime) ? 'audio' : 'document');

  /** A media reply's row fields: by link, or a Media Library file (sent by upload where the provider can). */
  const mediaReply = async (input: Extract<ReplyRequest, { type: 'media' }>) => {
    if (!input.fileId) return { type: input.mediaType, text: input.caption ?? null, payload: { link: input.link, filename: input.filename } };
    const file = await q('plugin::upload.file').findOne({ where: { id: input.fileId } });
    if (!file) fail('fileId', 'no file with this id in the Media Library');
    return {
      type: input.mediaType ?? kindOfMime(file.mime),
      text: input.caption ?? null,
      payload: { fileId: file.id, filename: input.filename ?? file.name, mime: file.mime },
      media: file.id,
    };
  };

  /** The bytes of a Media Library file: from the public folder for the local provider, else by its URL. */
  const fileBytes = async (file: Row): Promise<Buffer> => {
    if (/^https?:\/\//.test(file.url)) return Buffer.from((await axios.get<ArrayBuffer>(file.url, { responseType: 'arraybuffer', timeout: 30_000 })).data);
    return fs.readFile(path.join(strapi.dirs.static.public, file.url));
  };

  /** Media Library files go to Meta by upload (sent by id, kept on the row for retries); others get a public link. */
  const resolveFile = async (row: Row, number: NumberRow) => {
    const payload = row.payload ?? {};
    if (!payload.fileId || payload.providerMediaId || payload.link) return payload;
    const file = await q('plugin::upload.file').findOne({ where: { id: payload.fileId } });
    if (!file) throw new UnsupportedByProviderError(number.provider, 'send a file that was deleted from the Media Library');
    const adapter = adapterFor(number.provider);
    let next: Row;
    if (number.provider === 'meta') {
      const ctx = getService('provider-calls', { strapi }).contextFor(number);
      const { mediaId } = await adapter.uploadMedia(ctx, getService('numbers', { strapi }).toProviderNumber(number), { data: await fileBytes(file), mimeType: file.mime, filename: payload.filename });
      next = { ...payload, providerMediaId: mediaId };
    } else {
      next = { ...payload, link: /^https?:\/\//.test(file.url) ? file.url : `${getService('numbers', { strapi }).publicUrl()}${file.url}` };
    }
    await q(UID.message).update({ where: { id: row.id }, data: { payload: next } });
    return next;
  };

  /** What the provider gets for a stored row. */
  const outbound = (row: Row, conversation: Row, template: Row | null): OutboundMessage => {
    const to = conversation.customerPhone ?? `+${conversation.customerWaId}`;
    const payload = row.payload ?? {};
    if (row.type === 'template') {
      return { kind: 'template', to, name: row.template.name, language: row.template.language, params: row.template.params, providerTemplateId: template?.providerTemplateId ?? null };
    }
    if (row.type === 'interactive') return { kind: 'interactive', to, interactive: payload.interactive, replyTo: row.replyToProviderId ?? undefined };
    if (['image', 'video', 'audio', 'document'].includes(row.type)) {
      return { kind: 'media', to, mediaType: row.type, link: payload.link, mediaId: payload.providerMediaId, caption: row.text ?? undefined, filename: payload.filename, replyTo: row.replyToProviderId ?? undefined };
    }
    return { kind: 'text', to, text: row.text, replyTo: row.replyToProviderId ?? undefined };
  };

  /** A template send's row fields, once the template is known, approved and its parameters fit; else a 400. */
  const templateFields = async (number: NumberRow, input: Extract<ReplyRequest, { type: 'template' }>['template']) => {
    const template = await q(UID.template).findOne({ where: { numberId: number.id, name: input.name, language: input.language, removedAt: null } });
    if (!template) fail('template', `no template ${input.name} (${input.language}) for this number; sync templates first`);
    if (template.status !== 'APPROVED') fail('template', `template ${template.name} is ${template.status}, only approved templates can be sent`);
    assertTemplateParams(template.parameterSchema, template.parameterFormat, input.params);
    return { type: 'template', template: input, text: templateText(template.components ?? [], template.parameterFormat ?? 'positional', input.params) || `[template ${template.name}]` };
  };

  /** The message a request with this idempotency key already queued in the conversation, if any. */
  const queued = async (conversationId: number, key: string | undefined): Promise<Row | null> =>
    key ? q(UID.message).findOne({ where: { idempotencyKey: replyKey(conversationId, key) } }) : null;

  const consequences = async (row: Row, cls: string) => {
    if (cls === 'window-closed') await q(UID.conversation).update({ where: { id: row.conversationId }, data: { templateOnly: true } });
    if (cls === 'invalid-recipient') await q(UID.conversation).update({ where: { id: row.conversationId }, data: { unreachable: true } });
    if (cls === 'auth-problem') {
      await q(UID.number).update({ where: { id: row.numberId }, data: { needsReauth: true, health: 'error' } });
      strapi.log.error(`[whatsapp] number ${row.numberId}: the provider refused its credentials; an admin must enter new ones`);
    }
  };

  const publish = (row: Row, status: string) =>
    getService('realtime', { strapi }).publish({ type: 'message.status', conversationId: row.conversationId, numberId: row.numberId, messageId: row.id, status });

  /** Loads what a send needs; null when the row can never be sent (and is marked failed). */
  const prepare = async (row: Row) => {
    const number = (await q(UID.number).findOne({ where: { id: row.numberId } })) as NumberRow | null;
    const conversation = await q(UID.conversation).findOne({ where: { id: row.conversationId } });
    if (!number || number.deletedAt || !conversation) {
      await q(UID.message).update({ where: { id: row.id }, data: { status: 'failed', failedAt: new Date(), errorClass: 'permanent', errorText: 'the number was removed' } });
      publish(row, 'failed');
      return null;
    }
    if (!number.active) {
      // Switched off is not gone: the row waits, and goes out once the number is switched on again.
      await q(UID.message).update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + INACTIVE_RECHECK_MS), errorText: NUMBER_OFF } });
      return null;
    }
    const template = row.type === 'template' ? await q(UID.template).findOne({ where: { numberId: number.id, name: row.template.name, language: row.template.language } }) : null;
    return { number, conversation, message: outbound(row, conversation, template) };
  };

  /** Sends a claimed row; answers when it should be tried again, if it should. */
  const deliver = async (row: Row, { number, conversation, message: prepared }: NonNullable<Awaited<ReturnType<typeof prepare>>>, through?: <T>(call: () => Promise<T>) => Promise<T>): Promise<Date | null> => {
    const adapter = adapterFor(number.provider);
    let message: OutboundMessage;
    try {
      message = row.payload?.fileId ? outbound({ ...row, payload: await resolveFile(row, number) }, conversation, null) : prepared;
    } catch (error) {
      // Nothing was sent yet: an upload that got no answer is simply made again.
      const c = error instanceof UnsupportedByProviderError ? { class: 'permanent', code: null, text: error.message } : adapter.classify(error);
      return failed(row, c.class === 'maybe-sent' ? { ...c, class: 'retryable' } : c);
    }
    const ctx = getService('provider-calls', { strapi }).contextFor(number);
    const providerNumber = getService('numbers', { strapi }).toProviderNumber(number);
    let called = false;
    const call = () => {
      called = true;
      return adapter.send(ctx, providerNumber, message);
    };
    let result: Awaited<ReturnType<typeof adapter.send>>;
    try {
      result = await (through ? through(call) : call());
    } catch (error) {
      if (!called) return notAdmitted(row, error);
      return failed(row, error instanceof UnsupportedByProviderError ? { class: 'permanent', code: null, text: error.message } : adapter.classify(error));
    }
    await recordSent(row, result.providerMessageId);
    return null;
  };

  /** The cluster's admission (Redis) failed before the provider was called: the row waits its turn again. */
  const notAdmitted = async (row: Row, error: unknown) => {
    const nextAttemptAt = new Date(Date.now() + backoffMs(0));
    await q(UID.message).update({ where: { id: row.id }, data: { status: 'queued', attempts: Math.max(0, row.attempts - 1), nextAttemptAt, errorText: `not sent yet: ${(error as Error).message}` } });
    return nextAttemptAt;
  };

  /**
   * A send that failed: retried when the provider said it failed in a way worth retrying, put up
   * for review when it may have gone out, else failed with its reason.
   */
  const failed = async (row: Row, c: { class: string; code: string | null; text: string }): Promise<Date | null> => {
    if (c.class === 'maybe-sent') {
      await q(UID.message).update({ where: { id: row.id }, data: { status: 'review', errorClass: c.class, errorCode: c.code, errorText: `no answer from the provider: it may have been sent; not resent automatically, check with the customer before sending again (${c.text})` } });
      publish(row, 'review');
      return null;
    }
    const retry = ['retryable', 'rate-limited', 'pair-rate-limited'].includes(c.class) && row.attempts < MAX_ATTEMPTS;
    const nextAttemptAt = new Date(Date.now() + backoffMs(row.attempts));
    await q(UID.message).update({
      where: { id: row.id },
      data: retry
        ? { status: 'queued', nextAttemptAt, errorClass: c.class, errorCode: c.code, errorText: c.text }
        : { status: 'failed', failedAt: new Date(), errorClass: c.class, errorCode: c.code, errorText: c.text },
    });
    if (!retry) {
      await consequences(row, c.class);
      publish(row, 'failed');
    }
    return retry ? nextAttemptAt : null;
  };

  /**
   * The provider has the message: a database error now must neither queue it again (a duplicate)
   * nor mark it failed (staff would resend it). A few tries; then the row stays `sending`, which the
   * start-up and cluster sweeps put up for review.
   */
  const recordSent = async (row: Row, providerMessageId: string | null) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await q(UID.message).updateMany({ where: { id: row.id }, data: { status: 'sent', providerMessageId, errorClass: null, errorCode: null, errorText: null } });
        publish(row, 'sent');
        return;
      } catch (error) {
        if (attempt >= 3) {
          strapi.log.error(`[whatsapp] message ${row.id} was accepted by the provider (${providerMessageId}) but could not be recorded: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  };

  /** Due rows, but none of the numbers whose fetched rows are still being worked through. */
  const due = (held: number[]) =>
    q(UID.message).findMany({
      where: {
        direction: 'out',
        status: 'queued',
        $or: [{ nextAttemptAt: { $null: true } }, { nextAttemptAt: { $lte: new Date() } }],
        ...(held.length ? { numberId: { $notIn: held } } : {}),
      },
      orderBy: { id: 'asc' },
      limit: BATCH,
    });

  /** New work (a kick) during a pass: the pass looks for it and ends its wait for a number's rate. */
  let fresh = false;
  let wake: () => void = () => undefined;
  const wakeable = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const kickHere = () => {
    fresh = true;
    wake();
    loop.kick();
  };

  /**
   * One row's turn: 0 when it is done with here (claimed and sent off, put off for its recipient's
   * pair rate, or not sendable), else how long until its number has a slot.
   */
  const step = async (row: Row, inflight: Set<Promise<void>>): Promise<number> => {
    const ready = await prepare(row);
    if (!ready) return 0;
    const pairKey = `pair:${row.numberId}:${ready.conversation.customerWaId}`;
    const pairWait = limiter.tryTake(pairKey, PAIR_LIMIT, PAIR_WINDOW_MS, false);
    if (pairWait > 0) {
      await q(UID.message).update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + pairWait) } });
      return 0;
    }
    // 5% under the number's rate: the provider counts arrivals, which jitter.
    const numberWait = limiter.tryTake(`number:${row.numberId}`, ready.number.throughputMps ?? 80, 1050);
    if (numberWait > 0) {
      // Not sent now: the recipient's slot is given back.
      limiter.untake(pairKey);
      return numberWait;
    }
    const attempts = (row.attempts ?? 0) + 1;
    const { count } = await q(UID.message).updateMany({ where: { id: row.id, status: 'queued', attempts: row.attempts ?? 0 }, data: { status: 'sending', attempts } });
    if (count !== 1) return 0;
    const sending: Promise<void> = deliver({ ...row, attempts }, ready)
      .then(() => undefined, (error) => {
        strapi.log.error(`[whatsapp] message ${row.id}: ${(error as Error).message}`);
      })
      .finally(() => inflight.delete(sending));
    inflight.add(sending);
    if (inflight.size >= MAX_IN_FLIGHT) await Promise.race(inflight);
    return 0;
  };

  /**
   * Rows wait for their rate while still `queued`; a row becomes `sending` just before its provider
   * call, so a crash can only leave for review what may really have gone out. Fetched rows are
   * worked through per number, each number at its own rate, so one number's backlog never holds up
   * another number's rows; other numbers' rows are looked for on a kick and while numbers wait.
   */
  const pass = async (stopped: () => boolean) => {
    const inflight = new Set<Promise<void>>();
    /** Fetched rows not yet sent, per number, in id order; and when a number's next slot is. */
    const held = new Map<number, Row[]>();
    const readyAt = new Map<number, number>();
    let fetchedAt = 0;
    fresh = true;
    while (!stopped()) {
      if (fresh || !held.size || Date.now() - fetchedAt >= REFETCH_MS) {
        fresh = false;
        fetchedAt = Date.now();
        const rows = await due([...held.keys()]);
        for (const row of rows) held.set(row.numberId, [...(held.get(row.numberId) ?? []), row]);
        if (!held.size) break;
      }
      for (const [numberId, rows] of held) {
        if ((readyAt.get(numberId) ?? 0) > Date.now()) continue;
        while (rows.length && !stopped()) {
          const wait = await step(rows[0], inflight);
          if (wait > 0) {
            readyAt.set(numberId, Date.now() + wait);
            break;
          }
          rows.shift();
        }
        if (!rows.length) held.delete(numberId);
      }
      const next = Math.min(...[...held.keys()].map((id) => readyAt.get(id) ?? 0));
      // Short naps, so a stop is seen soon; a kick ends the nap at once.
      if (held.size && next > Date.now()) await wakeable(Math.min(next - Date.now(), 250));
    }
    await Promise.all(inflight);
  };

  const loop = createWorkerLoop(strapi, 'dispatcher', pass, SWEEP_MS);

  // ---- Several instances -------------------------------------------------------------------
  const cluster = () => getService('cluster', { strapi });
  let queue: Queue | null = null;
  let worker: Worker | null = null;
  let connections: { quit: () => Promise<unknown> }[] = [];

  /** Rows this instance has claimed (or is about to) and is sending now. */
  const sendingHere = new Set<number>();
  const jobId = (messageId: number) => `message-${messageId}`;

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
   * One row's turn, on whichever instance BullMQ gave the job to. The row takes the number's next
   * slot once; a slot further ahead than a moment is kept in the job's data while the job waits
   * in Redis (delayed), so a long backlog costs neither memory nor repeated work.
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
    const ready = await prepare(row);
    if (!ready) return;
    const mps = Math.max(1, Math.floor(ready.number.throughputMps ?? 80));
    const slotAt = job.data.slotAt ?? Date.now() + (await cluster().slot(`number:${row.numberId}`, mps));
    if (slotAt - Date.now() > MAX_AHEAD_MS) return later(slotAt - MAX_AHEAD_MS / 2, { messageId: row.id, slotAt });
    await sleep(slotAt - Date.now());
    // At send time: a recipient's sends are spaced by when they go, not by when they were queued.
    const pairWait = await cluster().window(`pair:${row.numberId}:${ready.conversation.customerWaId}`, PAIR_LIMIT, PAIR_WINDOW_MS);
    if (pairWait > 0) {
      const at = new Date(Date.now() + pairWait);
      await q(UID.message).update({ where: { id: row.id }, data: { nextAttemptAt: at } });
      return later(at.getTime());
    }
    const attempts = (row.attempts ?? 0) + 1;
    // Known as ours before the claim, so a sweep never takes our own send for an orphan.
    sendingHere.add(row.id);
    try {
      const { count } = await q(UID.message).updateMany({ where: { id: row.id, status: 'queued', attempts: row.attempts ?? 0 }, data: { status: 'sending', attempts, dispatchedBy: cluster().instanceId } });
      if (count !== 1) return;
      const retryAt = await deliver({ ...row, attempts }, ready, (call) => cluster().admitted(`number:${row.numberId}`, mps, call));
      if (retryAt) return later(retryAt.getTime());
    } finally {
      sendingHere.delete(row.id);
    }
  };

  /**
   * Rows left `sending` by an instance that no longer beats (or by a single-instance process), or
   * by this one outside any send it is making (its send failed past the provider call), may or may
   * not have gone: review.
   */
  const reviewOrphans = async () => {
    const rows = await q(UID.message).findMany({ where: { direction: 'out', status: 'sending' }, select: ['id', 'dispatchedBy', 'attempts'], limit: 1000 });
    if (!rows.length) return 0;
    const self = cluster().instanceId;
    const alive = await cluster().alive(rows.map((r: Row) => r.dispatchedBy).filter((id: string | null) => id && id !== self));
    const orphans = rows.filter((r: Row) => (r.dispatchedBy === self ? !sendingHere.has(r.id) : !r.dispatchedBy || !alive.has(r.dispatchedBy)));
    let count = 0;
    for (const r of orphans) {
      // Only the claim that was seen: a row sent again since (retried, claimed anew) is not an orphan.
      const where = { id: r.id, status: 'sending', attempts: r.attempts ?? { $null: true }, dispatchedBy: r.dispatchedBy ?? { $null: true } };
      count += (await q(UID.message).updateMany({ where, data: REVIEW })).count;
    }
    if (count) strapi.log.warn(`[whatsapp] ${count} message(s) were being sent by an instance that stopped; marked for review`);
    return count;
  };

  /** Due rows without a job (queued before Redis was configured, or while it was unreachable) get one. */
  const clusterPass = async (stopped: () => boolean) => {
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
  const clusterLoop = createWorkerLoop(strapi, 'dispatcher sweep', clusterPass, CLUSTER_SWEEP_MS);

  const startCluster = async () => {
    const prefix = `${cluster().prefix()}:bull`;
    const queueConnection = cluster().connection();
    const workerConnection = cluster().connection();
    connections = [queueConnection, workerConnection];
    const { Queue, Worker } = loadBullmq();
    queue = new Queue('send', { connection: queueConnection, prefix });
    // A dead instance's jobs go back to the others within ~25 s (lock not renewed, then the stalled check).
    worker = new Worker('send', sendJob, { connection: workerConnection, prefix, concurrency: CLUSTER_CONCURRENCY, lockDuration: 15_000, stalledInterval: 10_000 });
    worker.on('failed', (job, error) => strapi.log.error(`[whatsapp] message ${job?.data?.messageId}: ${error.message}`));
    worker.on('error', (error) => strapi.log.error(`[whatsapp] dispatcher queue: ${error.message}`));
    clusterLoop.start();
  };

  const stopCluster = async () => {
    await clusterLoop.stop();
    await worker?.close();
    await queue?.close();
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    worker = null;
    queue = null;
    connections = [];
  };

  const clustered = () => cluster().enabled();

  return {
    kick: () => (clustered() ? clusterLoop.kick() : kickHere()),
    idle: () => (clustered() ? clusterLoop.idle() : loop.idle()),
    stop: () => (clustered() ? stopCluster() : loop.stop()),

    /** Rows a previous process left mid-send may or may not have left: never resend them blindly. */
    async start() {
      if (clustered()) {
        // Only rows of instances that stopped: another live instance's sends are its own.
        await startCluster();
        return;
      }
      const { count } = await q(UID.message).updateMany({
        where: { direction: 'out', status: 'sending' },
        data: REVIEW,
      });
      if (count) strapi.log.warn(`[whatsapp] ${count} message(s) were being sent when the process stopped; marked for review`);
      loop.start();
    },

    templateFields,

    queued,

    /** A number switched on again: its rows that waited for it are due now. */
    async resume(numberId: number) {
      await q(UID.message).updateMany({ where: { numberId, direction: 'out', status: 'queued', errorText: NUMBER_OFF }, data: { nextAttemptAt: null, errorText: null } });
      if (clustered()) clusterLoop.kick();
      else kickHere();
    },

    /**
     * A reply in a conversation, checked and queued: free text only inside the customer's window,
     * template parameters checked against the stored template. The same idempotency key twice
     * queues one message.
     */
    async enqueue(conversationId: number, input: ReplyRequest, author: { id: number | null; source?: 'inbox' | 'campaign' | 'notification' | 'bot' | 'ai' | 'auto-reply'; sourceRef?: string }) {
      const conversation = await q(UID.conversation).findOne({ where: { id: conversationId } });
      if (!conversation) throw new errors.NotFoundError('No conversation with this id');
      // First: a retry of a request already queued answers that message, whatever changed since (the window closed, say).
      const idempotencyKey = input.idempotencyKey ? replyKey(conversationId, input.idempotencyKey) : null;
      const existing = await queued(conversationId, input.idempotencyKey);
      if (existing) return existing;
      const number = (await q(UID.number).findOne({ where: { id: conversation.numberId } })) as NumberRow | null;
      if (!number || number.deletedAt) fail('conversation', 'the conversation’s number has been removed');
      if (!number!.active) fail('conversation', 'the conversation’s number is switched off');

      const data: Row = { conversationId, numberId: number!.id, direction: 'out', status: 'queued', source: author.source ?? 'inbox', sourceRef: author.sourceRef ?? null, authorId: author.id, attempts: 0 };
      if (input.type === 'template') {
        Object.assign(data, await templateFields(number!, input.template));
      } else {
        const open = conversation.windowExpiresAt && new Date(conversation.windowExpiresAt) > new Date();
        if (!open) {
          fail('type', `the customer’s 24-hour window ${conversation.windowExpiresAt ? `closed at ${new Date(conversation.windowExpiresAt).toISOString()}` : 'is not open (they have not written yet)'}; send an approved template instead`);
        }
        if (!adapterFor(number!.provider).capabilities.freeForm) fail('type', `${number!.provider} numbers can send templates only`);
        if (input.type === 'text') Object.assign(data, { type: 'text', text: input.text, replyToProviderId: input.replyTo ?? null });
        if (input.type === 'media') Object.assign(data, await mediaReply(input), { replyToProviderId: input.replyTo ?? null });
        if (input.type === 'interactive') Object.assign(data, { type: 'interactive', text: input.interactive.body, payload: { interactive: input.interactive }, replyToProviderId: input.replyTo ?? null });
      }
      if (idempotencyKey) data.idempotencyKey = idempotencyKey;
      let row;
      try {
        row = await q(UID.message).create({ data });
      } catch (error) {
        // The same key sent twice at once (a double click, a retried request): the other one won.
        // Inside a caller's transaction PostgreSQL would refuse the lookup after a failed insert, so
        // there the original error stands.
        const existing = data.idempotencyKey && !strapi.db.inTransaction() ? await q(UID.message).findOne({ where: { idempotencyKey: data.idempotencyKey } }) : null;
        if (existing) return existing;
        throw error;
      }
      // Only a staff reply means the customer's messages were read; an automated one leaves them waiting.
      await q(UID.conversation).update({ where: { id: conversationId }, data: { lastMessageAt: new Date(), lastMessagePreview: String(row.text ?? `[${row.type}]`).slice(0, 200), ...(STAFF_REPLY_SOURCES.has(data.source) ? { unread: 0 } : {}) } });
      getService('realtime', { strapi }).publish({ type: 'message.created', conversationId, numberId: row.numberId, messageId: row.id });
      if (clustered()) {
        // Should Redis be unreachable now, the row stays queued and the next sweep gives it its job.
        await addJobs([row]).catch((error) => strapi.log.error(`[whatsapp] message ${row.id} not queued yet: ${(error as Error).message}`));
      } else kickHere();
      return row;
    },
  };
};
