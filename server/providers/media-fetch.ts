import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Fetching a file at a URL a webhook named (inbound media): only https to public addresses, except
 * the provider origins the admin configured; the address is checked when the socket connects, so
 * a name that resolves differently a second time (DNS rebinding) cannot slip past the check.
 */

/** A download that can never work (not https, a private address, too large): not worth retrying. */
export class MediaRefusedError extends Error {
  readonly permanent = true;
}

/** A download that may work later (the server failed, too slow, the network): retried with backoff. */
export class MediaFetchError extends Error {
  constructor(message: string, readonly status: number | null = null) {
    super(message);
  }
}

export interface MediaFetchPolicy {
  /** Origins (scheme, host, port) reachable whatever their address: the configured provider base URLs. */
  allowedOrigins: string[];
  maxBytes: number;
  /** The whole transfer, redirects included, ends by then: a server sending a byte at a time cannot hold the worker. */
  deadlineMs: number;
  maxRedirects?: number;
}

export interface FetchedMedia {
  data: Buffer;
  contentType: string | null;
  status: number;
  /** The URL the bytes came from, after redirects. */
  url: string;
}

const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'], ['10.0.0.0', 8, 'private'], ['100.64.0.0', 10, 'shared (CGNAT)'], ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], ['172.16.0.0', 12, 'private'], ['192.0.0.0', 24, 'reserved'], ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], ['192.168.0.0', 16, 'private'], ['198.18.0.0', 15, 'benchmarking'], ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'], ['224.0.0.0', 4, 'multicast'], ['240.0.0.0', 4, 'reserved'],
];
const V6: [string, number, string][] = [
  ['::', 96, 'unspecified, loopback or IPv4-compatible'], ['64:ff9b::', 96, 'NAT64'], ['64:ff9b:1::', 48, 'NAT64'], ['100::', 64, 'discard'],
  ['2001::', 32, 'Teredo'], ['2001:db8::', 32, 'documentation'], ['2002::', 16, '6to4'], ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'], ['fec0::', 10, 'site-local'], ['ff00::', 8, 'multicast'],
];
const lists = [...V4.map(([a, p, why]) => ({ family: 'ipv4' as const, a, p, why })), ...V6.map(([a, p, why]) => ({ family: 'ipv6' as const, a, p, why }))].map((r) => {
  const list = new net.BlockList();
  list.addSubnet(r.a, r.p, r.family);
  return { list, family: r.family, why: `${r.why} (${r.a}/${r.p})` };
});

/** Why an address may not be fetched from, or null for a public one. IPv4-mapped IPv6 is judged as its IPv4. */
export const blockedReason = (address: string): string | null => {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (!family) return 'not an IP address';
  const mapped = family === 6 && /^::ffff:/i.test(bare) ? bare.slice(7) : null;
  if (mapped && net.isIPv4(mapped)) return blockedReason(mapped);
  if (mapped) {
    // ::ffff:7f00:1, the hexadecimal spelling of an IPv4-mapped address.
    const [hi, lo] = mapped.split(':').map((h) => parseInt(h, 16));
    if (Number.isFinite(hi) && Number.isFinite(lo)) return blockedReason([hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'));
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return lists.find((l) => l.family === type && l.list.check(bare, type))?.why ?? null;
};

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** `lookup` for the request: resolves as usual, then refuses the connection if any address is not public. */
const guardedLookup = (hostname: string, options: dns.LookupOptions | number, callback: LookupCallback) => {
  const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : { ...options };
  dns.lookup(hostname, { ...opts, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const bad = addresses.map((a) => ({ a, why: blockedReason(a.address) })).find((x) => x.why);
    if (bad) return callback(new MediaRefusedError(`refused: ${hostname} resolves to ${bad.a.address}, a ${bad.why} address`) as NodeJS.ErrnoException, '');
    if (opts.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

/** Whether a URL may be fetched, and whether its address must still be checked at connect time. */
export const judgeUrl = (raw: string, allowedOrigins: string[]): { url: URL; checkAddress: boolean } => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaRefusedError('refused: the media URL is not a valid URL');
  }
  if (allowedOrigins.includes(url.origin)) return { url, checkAddress: false };
  if (url.protocol !== 'https:') throw new MediaRefusedError(`refused: only https media URLs are fetched (${url.protocol.replace(':', '')} given)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    const why = blockedReason(host);
    if (why) throw new MediaRefusedError(`refused: ${host} is a ${why} address`);
  }
  return { url, checkAddress: true };
};

/** A URL's origin (scheme, host, port), or null when it is not a URL. */
export const originOf = (raw: unknown): string | null => {
  try {
    return typeof raw === 'string' && raw ? new URL(raw).origin : null;
  } catch {
    return null;
  }
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `rawUrl` under the policy: redirects followed by hand (each hop judged again, at most
 * `maxRedirects`, credentials dropped when the origin changes), the body counted as it streams.
 */
export const fetchMedia = async (rawUrl: string, policy: MediaFetchPolicy, headers: Record<string, string> = {}): Promise<FetchedMedia> => {
  const maxRedirects = policy.maxRedirects ?? 3;
  const firstOrigin = originOf(rawUrl);
  const late = () => new MediaFetchError(`the download took longer than ${policy.deadlineMs} ms and was stopped`);
  // The hop in flight: the deadline settles it and closes its socket.
  let stop: ((error: Error) => void) | null = null;
  let expired = false;
  const deadline = setTimeout(() => {
    expired = true;
    stop?.(late());
  }, policy.deadlineMs);
  try {
    let next = rawUrl;
    for (let hop = 0; ; hop += 1) {
      const { url, checkAddress } = judgeUrl(next, policy.allowedOrigins);
      const sameOrigin = url.origin === firstOrigin;
      const hopHeaders = sameOrigin ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(authorization|cookie|apikey)$/i.test(k)));
      const answer = await new Promise<FetchedMedia | { redirect: string }>((resolve, reject) => {
        if (expired) return reject(late());
        const mod = url.protocol === 'https:' ? https : http;
        const req = mod.request(url, { method: 'GET', headers: hopHeaders, agent: false, ...(checkAddress ? { lookup: guardedLookup as any } : {}) }, (res) => {
          const status = res.statusCode ?? 0;
          if (REDIRECTS.has(status) && res.headers.location) {
            res.resume();
            return resolve({ redirect: new URL(res.headers.location, url).toString() });
          }
          if (status < 200 || status >= 300) {
            res.resume();
            return reject(new MediaFetchError(`the media server answered ${status}`, status));
          }
          const declared = Number(res.headers['content-length']);
          const tooLarge = () => new MediaRefusedError(`refused: the file is larger than ${policy.maxBytes} bytes`);
          if (Number.isFinite(declared) && declared > policy.maxBytes) return stop?.(tooLarge());
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > policy.maxBytes) return stop?.(tooLarge());
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ data: Buffer.concat(chunks), contentType: res.headers['content-type'] ?? null, status, url: url.toString() }));
          res.on('error', reject);
        });
        stop = (error) => {
          reject(error);
          req.destroy();
        };
        req.on('error', (error) => reject(error instanceof MediaRefusedError || error instanceof MediaFetchError ? error : new MediaFetchError(`the download failed: ${error.message}`)));
        req.end();
      });
      if (!('redirect' in answer)) return answer;
      if (hop >= maxRedirects) throw new MediaRefusedError(`refused: more than ${maxRedirects} redirects`);
      next = answer.redirect;
    }
  } finally {
    clearTimeout(deadline);
  }
};
