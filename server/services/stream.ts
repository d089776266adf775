import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { actionId, DEFAULT_MAX_STREAMS_PER_USER, DEFAULT_STREAM_HEARTBEAT_MS } from '../constants';
import { getConfig, getService } from '../utils';
import type { AdminUser } from './inbox';
import type { SequencedEvent } from './realtime';

/** Streams end before the admin access token would (30 min); the client reconnects with a fresh one. */
const MAX_LIFETIME_MS = 25 * 60_000;
const TICKET_TTL_MS = 60_000;
const VISIBILITY_CACHE_MS = 10_000;
/** Events a stream holds while it replays; past that the client reloads (`reset`) rather than the server buffering without end. */
const MAX_QUEUED = 1_000;

/**
 * Server-sent events for the inbox. The admin panel reads the stream with fetch and its bearer
 * token in the Authorization header; a plain EventSource, which cannot send headers, first trades
 * its session for a single-use ticket that lives a minute, so no lasting credential is ever in a URL.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const tickets = new Map<string, { user: AdminUser; expires: number }>();
  /** Open streams per user on this instance. */
  const openCount = new Map<number, number>();
  const cluster = () => getService('cluster', { strapi });
  const unusable = () => new errors.UnauthorizedError('The stream ticket is unknown, used or expired');

  /**
   * The user as the database has them now, or why they may not stream: a ticket or a stream must
   * not outlive a removed permission, a blocked or deleted account, or a change of team.
   */
  const access = async (id: number): Promise<{ user: AdminUser } | { refused: 'gone' | 'forbidden' }> => {
    const row = await strapi.db.query('admin::user').findOne({ where: { id }, populate: ['roles'] });
    if (!row || row.isActive !== true || row.blocked === true) return { refused: 'gone' };
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(row);
    if (!ability.can(actionId('inboxRead'))) return { refused: 'forbidden' };
    return { user: { id: row.id, roles: (row.roles ?? []).map((r: { id: number; code?: string }) => ({ id: r.id, code: r.code })) } };
  };

  return {
    /** One instance: kept in memory. Several: kept in Redis for a minute, so any instance can redeem it. */
    async issueTicket(user: AdminUser) {
      const ticket = crypto.randomBytes(24).toString('base64url');
      const entry = { user: { id: user.id, roles: user.roles?.map((r) => ({ id: r.id, code: r.code })) }, expires: Date.now() + TICKET_TTL_MS };
      if (cluster().enabled()) {
        await cluster().redis().set(cluster().key('ticket', ticket), JSON.stringify(entry.user), 'PX', TICKET_TTL_MS);
      } else {
        const now = Date.now();
        for (const [key, t] of tickets) if (t.expires < now) tickets.delete(key);
        tickets.set(ticket, entry);
      }
      // Where an EventSource opens it: the content API's prefix is the host app's to choose.
      const prefix = strapi.config.get<string>('api.rest.prefix', '/api');
      return { ticket, expiresInSeconds: TICKET_TTL_MS / 1000, url: `${prefix}/whatsapp/stream?ticket=${encodeURIComponent(ticket)}` };
    },

    /** Single use: taken and deleted in one step (GETDEL across instances); the user's access is checked again. */
    async redeemTicket(ticket: unknown): Promise<AdminUser> {
      if (typeof ticket !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(ticket)) throw unusable();
      let issuedTo: AdminUser;
      if (cluster().enabled()) {
        const stored = await cluster().redis().getdel(cluster().key('ticket', ticket));
        if (!stored) throw unusable();
        issuedTo = JSON.parse(stored) as AdminUser;
      } else {
        const entry = tickets.get(ticket);
        tickets.delete(ticket);
        if (!entry || entry.expires < Date.now()) throw unusable();
        issuedTo = entry.user;
      }
      const now = await access(issuedTo.id);
      if ('refused' in now) throw now.refused === 'gone' ? unusable() : new errors.ForbiddenError('You may no longer read conversations');
      return now.user;
    },

    /**
     * Opens the stream on `ctx` for the user; replays what a reconnecting client missed. The
     * subscription and everything that ends it are in place before the first await, so a client
     * that leaves (or a lookup that fails) while the stream is being set up leaks nothing.
     */
    async open(ctx: any, user: AdminUser, lastEventId?: string) {
      const scope = getService('scope', { strapi });
      const realtime = getService('realtime', { strapi });
      // A sixth stream is refused rather than the oldest closed: tabs closing each other would reconnect in turn without end.
      const cap = getConfig(strapi, 'maxStreamsPerUser') ?? DEFAULT_MAX_STREAMS_PER_USER;
      if ((openCount.get(user.id) ?? 0) >= cap) throw new errors.RateLimitError(`At most ${cap} live streams per user; close another tab first`);
      openCount.set(user.id, (openCount.get(user.id) ?? 0) + 1);

      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      ctx.req.socket.setKeepAlive(true);
      ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      ctx.status = 200;
      const stream = new PassThrough();
      ctx.body = stream;

      let lastWritten = 0;
      const write = (event: SequencedEvent) => {
        if (closed || event.seq <= lastWritten) return;
        lastWritten = event.seq;
        stream.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      };
      // Events published while the stream is set up wait here; a client too slow to set up is told to reload.
      const queue: SequencedEvent[] = [];
      let replaying = true;
      let closed = false;
      let allowed: number[] | 'all' = [];
      let allowedAt = 0;
      const visible = async (numberId: number) => {
        if (Date.now() - allowedAt > VISIBILITY_CACHE_MS) {
          allowed = await scope.visibleNumberIds(user);
          allowedAt = Date.now();
        }
        return allowed === 'all' || allowed.includes(numberId);
      };
      // One event after another per stream, so a visibility refresh never reorders them.
      let chain: Promise<void> = Promise.resolve();
      const unsubscribe = realtime.subscribe((event) => {
        if (closed) return;
        if (!replaying) chain = chain.then(async () => (await visible(event.numberId)) && write(event)).catch(() => undefined) as Promise<void>;
        else if (queue.length < MAX_QUEUED) queue.push(event);
        else reset();
      });
      // Each beat also re-reads the user: a removed inbox.read, a blocked or deleted account ends the stream, a team change applies.
      let checking = false;
      const beat = async () => {
        if (closed) return undefined;
        if (checking) return void stream.write(': keep-alive\n\n');
        checking = true;
        try {
          const now = await access(user.id);
          if ('refused' in now) return close();
          user = now.user;
          allowed = await scope.visibleNumberIds(user);
          allowedAt = Date.now();
          // Written once the new access applies, so a client can tell events after it are filtered by it.
          if (!closed) stream.write(': heartbeat\n\n');
        } catch (error) {
          strapi.log.warn(`[whatsapp] live stream for user ${user.id}: access not re-checked: ${(error as Error).message}`);
          if (!closed) stream.write(': keep-alive\n\n');
        } finally {
          checking = false;
        }
        return undefined;
      };
      const heartbeat = setInterval(() => void beat(), getConfig(strapi, 'streamHeartbeatMs') ?? DEFAULT_STREAM_HEARTBEAT_MS);
      const lifetime = setTimeout(() => close(), MAX_LIFETIME_MS);
      heartbeat.unref();
      lifetime.unref();
      const close = () => {
        if (closed) return;
        closed = true;
        const left = (openCount.get(user.id) ?? 1) - 1;
        if (left > 0) openCount.set(user.id, left);
        else openCount.delete(user.id);
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        unsubscribe();
        queue.length = 0;
        stream.end();
      };
      const reset = () => {
        if (!closed) stream.write('event: reset\ndata: {}\n\n');
        close();
      };
      ctx.req.on('close', close);
      stream.on('error', close);
      if (ctx.req.destroyed) close();

      try {
        await visible(0);
        const after = Number(lastEventId);
        if (!closed && lastEventId !== undefined && Number.isSafeInteger(after)) {
          const missed = await realtime.since(after);
          if (missed === null) stream.write('event: reset\ndata: {}\n\n');
          else for (const event of missed) if (!closed && (await visible(event.numberId))) write(event);
        }
        if (closed) return;
        stream.write(`event: ready\ndata: ${JSON.stringify({ userId: user.id })}\n\n`);
        // Events published while the missed ones were replayed; `write` drops any already sent.
        while (queue.length && !closed) {
          const event = queue.shift()!;
          if (await visible(event.numberId)) write(event);
        }
        replaying = false;
      } catch (error) {
        strapi.log.error(`[whatsapp] live stream for user ${user.id} not opened: ${(error as Error).message}`);
        // The client reconnects; it must not think it is up to date.
        reset();
      }
    },
  };
};
