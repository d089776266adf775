import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type Json = Record<string, any>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Digits only; `+1 555-000-2222` → `15550002222`. */
export const digits = (phone: string) => String(phone ?? '').replace(/\D+/g, '');

export const hmacHex = (secret: string, raw: string | Buffer) => crypto.createHmac('sha256', secret).update(raw).digest('hex');
export const sha256Base64 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('base64');
export const randomHex = (n: number) => crypto.randomBytes(n).toString('hex');
export const uuid = () => crypto.randomUUID();
export const fbtraceId = () => 'A' + crypto.randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 22);

let counter = 0;
/** Meta-looking message id: `wamid.` + base64 of (recipient, sequence, random). Unique per process. */
export const newWamid = (waId: string) => {
  counter += 1;
  const inner = `\x15\x02\x00\x11\x18${digits(waId) || 'BSUID'}${counter.toString(36).toUpperCase()}${randomHex(6).toUpperCase()}\x00`;
  return 'wamid.HBgL' + Buffer.from(inner, 'latin1').toString('base64');
};

/** Numeric Graph-style id (15 digits) that does not collide within a run. */
let numericCounter = 0;
export const newNumericId = (prefix = '88') => {
  numericCounter += 1;
  return `${prefix}${String(Date.now() % 1e9).padStart(9, '0')}${String(numericCounter).padStart(4, '0')}`;
};

/** Country calling code and the rest, as Gupshup's `sender` carries them. */
export const splitPhone = (phone: string): { countryCode: string; national: string; region: string } => {
  const d = digits(phone);
  const parsed = parsePhoneNumberFromString('+' + d);
  if (parsed) return { countryCode: parsed.countryCallingCode, national: String(parsed.nationalNumber), region: parsed.country ?? 'US' };
  const cc = d.startsWith('1') ? '1' : d.slice(0, 2);
  return { countryCode: cc, national: d.slice(cc.length), region: cc === '1' ? 'US' : 'IN' };
};

/**
 * A business-scoped user id (BSUID): country, '.', digits — unique per user per business
 * portfolio (here: per WABA / app), stable for a phone number.
 */
export const bsuidFor = (portfolio: string, phone: string) => {
  const region = splitPhone(phone).region;
  const h = crypto.createHash('sha256').update(`${portfolio}:${digits(phone)}`).digest();
  const n = h.readBigUInt64BE(0).toString().padStart(19, '0').slice(0, 19);
  return `${region}.${n}`;
};

/** Escape non-ASCII as lowercase \uXXXX, the way Meta's payloads are reported to be sent (§2.8). */
export const escapeUnicode = (json: string) => json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `{{1}}`, `{{first_name}}` … in order of appearance. */
export const templateVars = (text: string | undefined): string[] => {
  const out: string[] = [];
  const re = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
  let m: RegExpExecArray | null;
  while (text && (m = re.exec(text))) out.push(m[1]);
  return out;
};

export const fillVars = (text: string | undefined, values: Record<string, string>) =>
  (text ?? '').replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (all, name: string) => values[name] ?? all);

const SECRET_HEADERS = new Set(['authorization', 'apikey', 'api_key', 'x-aisensy-project-api-pwd', 'x-aisensy-partner-api-key', 'cookie', 'token', 'x-hub-signature-256', 'x-aisensy-signature']);
const SECRET_FIELDS = new Set(['apikey', 'api_key', 'access_token', 'accesstoken', 'appsecret', 'app_secret', 'password', 'token', 'webhooksecret', 'secret']);

export const REDACTED = '[redacted]';

export const redactHeaders = (headers: Record<string, string | string[] | undefined>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    const key = k.toLowerCase();
    if (SECRET_HEADERS.has(key)) out[key] = key === 'authorization' ? value.replace(/^(\w+)\s+.*$/, `$1 ${REDACTED}`) : REDACTED;
    else out[key] = value;
  }
  return out;
};

/** Deep copy with secret-named fields replaced; JSON strings inside form fields are left alone. */
export const redactBody = (body: unknown, depth = 0): unknown => {
  if (depth > 20) return body;
  if (Array.isArray(body)) return body.map((v) => redactBody(v, depth + 1));
  if (!isObject(body)) return body;
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : redactBody(v, depth + 1);
  return out;
};

export const redactQuery = (query: Record<string, string>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
};
