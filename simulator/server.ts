import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { handleAisensy } from './aisensy';
import { handleControl } from './control';
import { customerPage } from './customer-page';
import { handleGupshup } from './gupshup';
import { BodyTooLarge, header, json, parseForm, parseJson, parseMultipart, readBody, send, type Ctx } from './http';
import { handleMeta } from './meta';
import { transientError } from './meta-errors';
import type { Simulator } from './sim';
import type { RequestRecord } from './types';
import { isObject, redactBody, redactHeaders, redactQuery, sleep } from './util';

const providerOf = (path: string): RequestRecord['provider'] | 'control' | 'page' => {
  if (path === '/_sim' || path.startsWith('/_sim/')) return 'control';
  if (path === '/' || path === '/index.html' || path === '/favicon.ico') return 'page';
  if (/^\/v\d+\.0\//.test(path) || path.startsWith('/whatsapp_business/attachments')) return 'meta';
  if (path.startsWith('/wa/')) return 'gupshup';
  if (path.startsWith('/campaign/')) return 'aisensy';
  if (/^\/(gupshup|aisensy)-media\//.test(path)) return 'media';
  return 'unknown';
};

/** Parsed body for the request log (secrets redacted later). */
const parsedBody = (ctx: Ctx): unknown => {
  if (!ctx.raw.length) return null;
  const type = (header(ctx, 'content-type') ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return parseForm(ctx.raw);
  if (type.startsWith('multipart/form-data')) {
    const parts = parseMultipart(ctx.raw, header(ctx, 'content-type') ?? '') ?? [];
    return Object.fromEntries(parts.map((p) => [p.name, p.filename !== undefined ? { filename: p.filename, contentType: p.contentType, size: p.data.length } : p.data.toString('utf8')]));
  }
  const j = parseJson(ctx.raw);
  return j.ok ? j.value : ctx.raw.toString('utf8').slice(0, 10_000);
};

/** Accounts a provider request concerns (for per-account latency and 5xx faults). */
const accountsOf = (sim: Simulator, ctx: Ctx, provider: string, body: unknown): string[] => {
  const st = sim.state;
  if (provider === 'meta') {
    const id = /^\/v\d+\.0\/([^/?]+)/.exec(ctx.path)?.[1] ?? ctx.query.mid ?? '';
    if (st.metaNumbers.has(id)) return [id];
    const media = st.media.get(id);
    if (media) return [media.owner];
    const tpl = st.templates.find((t) => t.id === id);
    return st.accountKeysOfWaba(tpl?.owner ?? id);
  }
  if (provider === 'gupshup') {
    const key = header(ctx, 'apikey');
    return [...st.gupshupApps.values()].filter((a) => a.apiKey === key).map((a) => a.appName);
  }
  if (provider === 'aisensy' && isObject(body)) {
    return [...st.aisensyAccounts.values()].filter((a) => a.apiKey === body.apiKey).map((a) => a.phone);
  }
  return [];
};

const flapBody = (provider: string, status: 500 | 503) => {
  if (provider === 'meta') return transientError(status).body;
  if (provider === 'gupshup') return { status: 'error', message: status === 503 ? 'Service Unavailable' : 'Internal Server Error' };
  return { message: status === 503 ? 'Service Unavailable' : 'Internal Server Error', name: `ERR${status}`, errorCode: status };
};

export const createRequestHandler = (sim: Simulator) => async (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const ctx: Ctx = {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    raw: Buffer.alloc(0),
    base: sim.publicUrl ?? (req.headers.host ? `http://${req.headers.host}` : sim.baseUrl),
  };
  try {
    ctx.raw = await readBody(req);
  } catch (e) {
    return json(ctx, e instanceof BodyTooLarge ? 413 : 400, { error: (e as Error).message });
  }
  const provider = providerOf(ctx.path);
  try {
    if (provider === 'control') return await handleControl(sim, ctx);
    if (provider === 'page') {
      if (ctx.path === '/favicon.ico') return send(ctx, 204, '');
      ctx.res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return ctx.res.end(customerPage());
    }

    const body = parsedBody(ctx);
    ctx.record = sim.state.log(sim.state.requests, {
      seq: sim.state.nextSeq(),
      at: sim.state.clock.now(),
      provider,
      method: ctx.method,
      path: ctx.path,
      query: redactQuery(ctx.query),
      headers: redactHeaders(req.headers),
      body: redactBody(body),
    });

    if (provider === 'media') {
      const item = sim.state.media.get(ctx.path.split('/')[2] ?? '');
      if (!item || ctx.method !== 'GET') return send(ctx, 404, 'Not Found');
      return send(ctx, 200, item.bytes, { 'content-type': item.mimeType, 'content-length': String(item.bytes.length) });
    }
    if (provider === 'unknown') return json(ctx, 404, { error: `the simulator has no route ${ctx.method} ${ctx.path}` });

    const accounts = accountsOf(sim, ctx, provider, body);
    const settings = sim.state.settings.effective(accounts[0]);
    if (settings.latencyMs > 0) await sleep(Math.min(settings.latencyMs, 120_000));
    const flap = sim.state.settings.takeFlap(accounts);
    if (flap) return json(ctx, flap, flapBody(provider, flap));
    if (sim.state.settings.takeOne('bare502', accounts)) return send(ctx, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' });
    if (sim.state.settings.takeOne('dropAnswer', accounts)) {
      // The provider does the work; its answer is lost on the way back.
      ctx.res.writeHead = (() => ctx.res) as any;
      ctx.res.end = (() => {
        ctx.req.socket.destroy();
        return ctx.res;
      }) as any;
    }

    const handled =
      provider === 'meta' ? await handleMeta(sim, ctx) : provider === 'gupshup' ? await handleGupshup(sim, ctx) : await handleAisensy(sim, ctx);
    if (!handled) json(ctx, 404, { error: `the simulator has no route ${ctx.method} ${ctx.path}` });
  } catch (e) {
    json(ctx, 500, { error: `simulator error: ${(e as Error).message}` });
  }
};

export const createHttpServer = (sim: Simulator) => http.createServer((req, res) => void createRequestHandler(sim)(req, res));
