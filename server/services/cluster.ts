import crypto from 'node:crypto';
import os from 'node:os';
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { loadRedis } from '../optional-deps';
import { ADMIT_WINDOW_MS, slotIntervalMs, type Limits } from '../rate-limiter';
import { getConfig } from '../utils';

const HEARTBEAT_MS = 5_000;
/** An instance not heard of for this long is dead: what it was sending goes to review. */
const ALIVE_MS = 20_000;
/** Longer than a provider call may take (15 s timeout): a call whose answer never comes counts this long. */
const IN_FLIGHT_MS = 30_000;

/**
 * Lua, so that each step is one atomic step for the whole cluster. Times come from Redis' clock,
 * the one clock every instance shares.
 */
const SCRIPTS = {
  /**
   * The next slot of an evenly spaced rate (GCRA): KEYS[1] holds the earliest time the next send may
   * start, ARGV[1] ms after the last slot given out. Answers how many ms until the slot; ARGV[2] '1'
   * reserves it whenever it comes, '0' takes it only when it is due now (else nothing is recorded).
   */
  waSlot: {
    numberOfKeys: 1,
    lua: `
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local interval = tonumber(ARGV[1])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      if ARGV[2] ~= '1' and tat > now then return tat - now end
      local start = math.max(now, tat)
      redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(start + interval - now + 1000))
      return start - now`,
  },
  /**
   * Calls to a provider that counts arrivals in a sliding second. A call arrives somewhere between
   * its start and its answer, so it counts here from its start until ARGV[2] ms after its answer
   * (until then its score is a placeholder ARGV[4] ms ahead). Fewer than ARGV[1] such calls when a
   * new one starts means fewer than ARGV[1] can have arrived in the second before it arrives,
   * however late it gets there. 0 when admitted, else ms to wait.
   */
  waAdmit: {
    numberOfKeys: 1,
    lua: `
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
        local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
        if oldest <= now then return oldest + window - now + 1 end
        return 20
      end
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
      redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[4]))
      return 0`,
  },
  /** The call's answer is in: it counts for one more window from now. */
  waAnswered: {
    numberOfKeys: 1,
    lua: `
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])`,
  },
  /** At most ARGV[1] takes in any ARGV[2] ms (bursts allowed); 0 when taken, else ms until one fits. */
  waWindow: {
    numberOfKeys: 1,
    lua: `
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local limit = tonumber(ARGV[1])
      local window = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      if redis.call('ZCARD', KEYS[1]) >= limit then
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return tonumber(oldest[2]) + window - now + 1
      end
      redis.call('ZADD', KEYS[1], now, ARGV[3])
      redis.call('PEXPIRE', KEYS[1], window)
      return 0`,
  },
  /**
   * A live event: numbered, kept for replays and published in one step, so the numbers reach every
   * subscriber in order. ARGV[1] is the event as a JSON object; the number goes in front.
   */
  waPublish: {
    numberOfKeys: 3,
    lua: `
      local seq = redis.call('INCR', KEYS[1])
      local payload = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
      redis.call('ZADD', KEYS[2], seq, payload)
      redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
      redis.call('PUBLISH', KEYS[3], payload)
      return seq`,
  },
  /** A cron tick: claimed once (KEYS[1] outlives the tick), and only while no run of the job is still going (KEYS[2]). */
  waCronTick: {
    numberOfKeys: 2,
    lua: `
      if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
      if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then return 0 end
      return 1`,
  },
  /** Extends a lock only while it is still ours. */
  waExtend: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
  },
  /** Releases a lock only while it is still ours. */
  waRelease: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripted = Redis & Record<ScriptName, (...args: (string | number)[]) => Promise<any>>;

const connect = (url: string, options: Record<string, unknown> = {}) => {
  const RedisClient = loadRedis();
  const redis = new RedisClient(url, { lazyConnect: true, ...options }) as Scripted;
  for (const [name, { numberOfKeys, lua }] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys, lua });
  return redis;
};

/**
 * The multi-instance mode's shared parts: one Redis command connection, one subscriber, this
 * instance's identity and heartbeat, and the cluster-wide limits and locks. Without `redis.url`
 * nothing here connects and the plugin runs as one instance, everything in process.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => getConfig(strapi, 'redis') ?? {};
  const instanceId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  let client: Scripted | null = null;
  let subscriber: Redis | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const listeners = new Map<string, Set<(message: string) => void>>();

  const prefix = () => settings().prefix || 'whatsapp';
  const key = (...parts: (string | number)[]) => [prefix(), ...parts].join(':');
  const redis = () => {
    if (!client) throw new Error('whatsapp: Redis is not connected (is `redis.url` set and the plugin bootstrapped?)');
    return client;
  };
  const beat = () => redis().set(key('instance', instanceId), String(Date.now()), 'PX', ALIVE_MS);

  return {
    /** True when `redis.url` is configured: the plugin runs as one of several instances. */
    enabled: () => Boolean(settings().url),
    instanceId,
    key,
    prefix,
    redis,

    /** A new connection for a library that needs its own (BullMQ workers block on theirs). */
    connection: (options: Record<string, unknown> = {}) => connect(settings().url!, { maxRetriesPerRequest: null, ...options }),

    async start() {
      if (!this.enabled() || client) return;
      if (String(strapi.config.get('database.connection.client', '')).includes('sqlite')) {
        strapi.log.warn('[whatsapp] Redis is configured but the database is SQLite: several instances need one shared database (PostgreSQL)');
      }
      client = connect(settings().url!);
      subscriber = connect(settings().url!);
      await Promise.all([client.connect(), subscriber.connect()]);
      subscriber.on('message', (channel: string, message: string) => {
        for (const listener of listeners.get(channel) ?? []) listener(message);
      });
      await beat();
      heartbeat = setInterval(() => beat().catch((error) => strapi.log.error(`[whatsapp] Redis heartbeat: ${(error as Error).message}`)), HEARTBEAT_MS);
      heartbeat.unref();
      strapi.log.info(`[whatsapp] several-instance mode: Redis ${prefix()}, instance ${instanceId}`);
    },

    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      listeners.clear();
      if (client) await client.del(key('instance', instanceId)).catch(() => undefined);
      await Promise.all([client?.quit().catch(() => undefined), subscriber?.quit().catch(() => undefined)]);
      client = null;
      subscriber = null;
    },

    /** Messages on a channel (of this app's prefix) from every instance, this one included. */
    async subscribe(channel: string, listener: (message: string) => void) {
      const name = key(channel);
      if (!listeners.has(name)) {
        listeners.set(name, new Set());
        await subscriber!.subscribe(name);
      }
      listeners.get(name)!.add(listener);
    },

    /** Which of these instances still beat. */
    async alive(ids: string[]): Promise<Set<string>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Set();
      const values = await redis().mget(...unique.map((id) => key('instance', id)));
      return new Set(unique.filter((_, i) => values[i] !== null));
    },

    /** The next evenly spaced send slot of `name` (see `Limits.slot`, which this implements for the cluster). */
    async slot(name: string, perSecond: number, reserve = true): Promise<number> {
      return Number(await redis().waSlot(key('rate', name), slotIntervalMs(perSecond), reserve ? '1' : '0'));
    },

    /** The cluster's rate and pair limits behind the contract the in-process limiter also keeps. */
    limits(): Limits {
      return {
        slot: (name, perSecond, reserve) => this.slot(name, perSecond, reserve),
        window: (name, limit, windowMs) => this.window(name, limit, windowMs),
        admitted: (name, limit, call) => this.admitted(name, limit, call),
      };
    },

    /**
     * Runs a provider call of `name` so that, across the cluster, fewer than `limit` others can have
     * reached the provider in the second before it does (see waAdmit).
     */
    async admitted<T>(name: string, limit: number, call: () => Promise<T>): Promise<T> {
      const id = `${instanceId}:${crypto.randomUUID()}`;
      const zset = key('calls', name);
      for (let wait = await redis().waAdmit(zset, limit, ADMIT_WINDOW_MS, id, IN_FLIGHT_MS); Number(wait) > 0; wait = await redis().waAdmit(zset, limit, ADMIT_WINDOW_MS, id, IN_FLIGHT_MS)) {
        await new Promise((resolve) => setTimeout(resolve, Number(wait)));
      }
      try {
        return await call();
      } finally {
        await redis().waAnswered(zset, id).catch(() => undefined);
      }
    },

    /** A take of a sliding window shared by the cluster: 0 when taken, else ms until one fits. */
    async window(name: string, limit: number, windowMs: number): Promise<number> {
      return Number(await redis().waWindow(key('window', name), limit, windowMs, `${instanceId}:${crypto.randomUUID()}`));
    },

    /**
     * Claims one tick of a job for this instance: null when another instance has it, or when a run
     * of the job is still going somewhere. Else the run lock is held (and renewed) until `release`.
     */
    async claimTick(name: string, tick: string, tickTtlMs: number): Promise<null | (() => Promise<void>)> {
      const token = `${instanceId}:${crypto.randomUUID()}`;
      const lock = key('lock', name);
      const leaseMs = 60_000;
      const won = await redis().waCronTick(key('tick', name, tick), lock, token, tickTtlMs, leaseMs);
      if (won !== 1) return null;
      const renew = setInterval(() => redis().waExtend(lock, token, leaseMs).catch(() => undefined), leaseMs / 3);
      renew.unref();
      return async () => {
        clearInterval(renew);
        await redis().waRelease(lock, token).catch(() => undefined);
      };
    },

    /** Publishes an event with the next cluster-wide number, keeping the last `keep` for replays. */
    async publishSequenced(json: string, keep: number): Promise<number> {
      return Number(await redis().waPublish(key('events', 'seq'), key('events', 'recent'), key('events'), json, keep));
    },

    /** The last number given out and the kept events after `after` (with the oldest kept number). */
    async sequencedSince(after: number): Promise<{ last: number; oldest: number | null; events: string[] }> {
      const [[, last], [, oldest], [, events]] = (await redis()
        .multi()
        .get(key('events', 'seq'))
        .zrange(key('events', 'recent'), 0, 0, 'WITHSCORES')
        .zrangebyscore(key('events', 'recent'), `(${after}`, '+inf')
        .exec()) as [unknown, any][];
      return { last: Number(last ?? 0), oldest: (oldest as string[]).length ? Number((oldest as string[])[1]) : null, events: events as string[] };
    },
  };
};
