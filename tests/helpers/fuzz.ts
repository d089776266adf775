/**
 * Seeded generators for the fuzz test (tests/integration/fuzz.test.ts): random JSON mixing a route's
 * known fields with wrong types, keys every object inherits, long, unicode and NUL strings and numbers
 * JSON.stringify cannot write; the same seed gives the same bodies.
 */
import crypto from 'node:crypto';

/** mulberry32: small, fast and the same sequence for the same seed everywhere. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** A number written into the JSON text as is: beyond what JSON.stringify can write (1e999, huge integers). */
export class Raw {
  constructor(readonly text: string) {}
}
/** Own keys only, so `__proto__` is a key like any other. */
export const put = (obj: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
export const toJson = (v: unknown): string => {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJson((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
};

const NASTY_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'then', 'length', '', '$ne', 'id'];
export const NASTY_STRINGS = [
  '', ' ', 'x', 'a'.repeat(5000), 'nul\u0000byte', '\u0000', 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1.5', '2147483648',
  '9'.repeat(30), 'é日本語🙂', '\ud800', '\u202e', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', 'true', '[]', '{}',
  '2026-13-45', '2026-01-01T00:00:00Z', '2026-12-31', 'api::lead.lead', 'api::ticket.ticket', 'plugin::users-permissions.user', 'admin::user',
  'api::nope.nope', 'http://127.0.0.1:1/', 'https://example.com/a.png', 'javascript:alert(1)', '+15550002222', '15550002222', '+1', 'me',
  'unassigned', 'open', 'closed', 'text', 'media', 'template', 'interactive', 'quick-reply', 'meta', 'gupshup', 'aisensy', 'US', 'zz',
  'Europe/Berlin', 'Mars/Olympus', '09:00', '25:00', 'mon', 'created', 'updated', 'fieldChanged', 'dateOffset', 'field', 'constant',
  'body', 'header', 'button', 'en_US', 'follow_up', 'constructor', '__proto__', 'toString',
];
const NASTY_NUMBERS: unknown[] = [
  0, -1, 1, 2, 1.5, -0.5, 2147483647, 2147483648, -2147483649, 4294967296, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324,
  new Raw('1e999'), new Raw('-1e999'), new Raw('123456789012345678901234567890'), new Raw('-0'), new Raw('1E+2'), new Raw('0.1e1'),
];

export const createFuzzer = (seed: number) => {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const chance = (p: number) => random() < p;

  /** Field names worth sending to any route: every key of the seed bodies, plus the ones above. */
  const knownKeys = new Set<string>(NASTY_KEYS);
  const collectKeys = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collectKeys);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (knownKeys.add(k), collectKeys(x));
  };

  /** Ids of real rows, mixed in among the scalars. */
    const realIds: number[] = [];
  const scalar = (): unknown => {
    switch (int(6)) {
      case 0:
        return pick(NASTY_STRINGS);
      case 1:
        return pick(NASTY_NUMBERS);
      case 2:
        return chance(0.5);
      case 3:
        return null;
      case 4:
        return realIds.length ? pick(realIds) : 1;
      default:
        return crypto.createHash('sha1').update(String(random())).digest('hex').slice(0, 1 + int(40));
    }
  };
  const value = (depth: number): unknown => {
    if (depth <= 0 || chance(0.55)) return scalar();
    if (chance(0.4)) return Array.from({ length: int(4) }, () => value(depth - 1));
    const obj: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i -= 1) put(obj, pick([...knownKeys]), value(depth - 1));
    return obj;
  };

  /** A seed body taken apart: values replaced, keys dropped or added, nested values mutated too. */
  const mutate = (v: unknown, depth: number): unknown => {
    if (chance(0.15)) return value(depth);
    if (Array.isArray(v)) {
      const out = v.map((x) => mutate(x, depth - 1));
      if (chance(0.2)) out.push(value(depth - 1));
      return out;
    }
    if (v && typeof v === 'object' && !(v instanceof Raw)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!chance(0.1)) put(out, k, chance(0.35) ? mutate(x, depth - 1) : x);
      for (let i = chance(0.3) ? 1 + int(3) : 0; i > 0; i -= 1) put(out, pick([...knownKeys]), value(depth - 1));
      return out;
    }
    return chance(0.5) ? scalar() : v;
  };
  const bodyFor = (seed: unknown): unknown => {
    const r = random();
    if (r < 0.1) return value(3);
    if (r < 0.25) return value(1 + int(4)) ?? {};
    return mutate(seed ?? {}, 4);
  };

  /** Percent-encoding that also writes a lone surrogate, as the invalid UTF-8 a client could send. */
  const encode = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80';
    }
  };

  /** A query string: known keys, bracketed (qs nests them) or repeated, with nasty values. */
  const queryFor = (seed: Record<string, string> = {}): string => {
    const parts: string[] = Object.entries(seed).filter(() => chance(0.6)).map(([k, v]) => `${k}=${encode(chance(0.5) ? v : String(toJson(scalar())).replace(/^"|"$/g, ''))}`);
    for (let i = int(4); i > 0; i -= 1) {
      const key = pick([...knownKeys, ...Object.keys(seed)]);
      const shaped = pick([key, `${key}[]`, `${key}[0]`, `${key}[$gt]`, `${key}[a][b]`, `${key}[__proto__]`]);
      parts.push(`${encode(shaped).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encode(String(pick(NASTY_STRINGS)))}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  };

  return { int, pick, chance, knownKeys, collectKeys, realIds, scalar, value, mutate, bodyFor, encode, queryFor };
};
