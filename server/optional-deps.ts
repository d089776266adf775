import { createRequire } from 'node:module';
import path from 'node:path';
import type * as BullMQ from 'bullmq';
import type IORedis from 'ioredis';

/**
 * BullMQ and ioredis serve only several-instance mode (`redis.url`), so they are optional peer
 * dependencies loaded on first use: a single instance neither installs nor loads them (nor the
 * native module BullMQ brings).
 */
const MISSING = 'whatsapp: several instances (`redis.url` is set) need the optional packages bullmq and ioredis; install them in your app: npm install bullmq ioredis';

// The ESM build has no `require`; resolving from the app's root finds what the app installed.
const load = <T>(name: string): T => {
  const requireFrom = typeof require === 'function' ? require : createRequire(path.join(process.cwd(), 'package.json'));
  try {
    return requireFrom(name) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes(`'${name}'`)) throw new Error(MISSING);
    throw error;
  }
};

export const loadBullmq = () => load<typeof BullMQ>('bullmq');

export const loadRedis = (): typeof IORedis => {
  const mod = load<typeof IORedis & { default?: typeof IORedis }>('ioredis');
  return mod.default ?? mod;
};
