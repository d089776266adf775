import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord } from './types';

export const MAX_BODY_BYTES = 110 * 1024 * 1024;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: Record<string, string>;
  raw: Buffer;
  /** Absolute base URL of this simulator as the caller reached it (no trailing slash). */
  base: string;
  /** The request-log entry (provider routes only); the answer is added to it. */
  record?: RequestRecord;
}

export class BodyTooLarge extends Error {}

export const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const header = (ctx: Ctx, name: string) => {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export const send = (ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (ctx.res.headersSent) return;
  const isBuffer = Buffer.isBuffer(body);
  const payload = isBuffer ? (body as Buffer) : typeof body === 'string' ? body : JSON.stringify(body);
  const type = isBuffer ? 'application/octet-stream' : typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  if (ctx.record) {
    ctx.record.status = status;
    ctx.record.response = isBuffer ? `<${(body as Buffer).length} bytes>` : body;
  }
  ctx.res.writeHead(status, { 'content-type': type, ...headers });
  ctx.res.end(payload);
};

export const json = (ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}) => send(ctx, status, body ?? null, headers);

export const contentType = (ctx: Ctx) => (header(ctx, 'content-type') ?? '').toLowerCase();

export const parseJson = (raw: Buffer): { ok: true; value: unknown } | { ok: false } => {
  if (raw.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
};

export const parseForm = (raw: Buffer): Record<string, string> => Object.fromEntries(new URLSearchParams(raw.toString('utf8')));

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser (enough for Graph media uploads). */
export const parseMultipart = (raw: Buffer, type: string): MultipartPart[] | null => {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!m) return null;
  const boundary = Buffer.from('--' + (m[1] ?? m[2]).trim());
  const parts: MultipartPart[] = [];
  let pos = raw.indexOf(boundary);
  if (pos < 0) return null;
  for (let guard = 0; guard < 1000; guard++) {
    pos += boundary.length;
    if (raw.slice(pos, pos + 2).toString() === '--') break;
    if (raw.slice(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headEnd = raw.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return null;
    const head = raw.slice(pos, headEnd).toString('utf8');
    const next = raw.indexOf(boundary, headEnd + 4);
    if (next < 0) return null;
    const data = raw.slice(headEnd + 4, next - 2); // strip the CRLF before the boundary
    const disp = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const ct = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
    if (name !== undefined) parts.push({ name, filename, contentType: ct, data });
    pos = next;
  }
  return parts;
};

/** The bearer token from the Authorization header or Graph's `access_token` query parameter. */
export const bearer = (ctx: Ctx): string | undefined => {
  const h = header(ctx, 'authorization');
  const m = h ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
  return m?.[1]?.trim() || ctx.query.access_token || undefined;
};
