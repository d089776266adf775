import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { adapterFor, MalformedPayloadError, type CanonicalEvent, type HandshakeResult } from '../providers';
import { getService } from '../utils';
import type { NumberRow } from './numbers';

export interface IncomingWebhook {
  key: string;
  /** The exact bytes received, or null when the body could not be read. */
  raw: string | Buffer | null;
  headers: Record<string, string | string[] | undefined>;
  /** Set when Strapi's body parser refused the body (bad JSON, too large). */
  bodyError?: { status: number; message: string } | null;
}

export interface WebhookAnswer {
  status: number;
  body: { ok: boolean; error?: string; eventId?: number };
}

/** Headers worth keeping with a stored webhook; cookies and credentials are never logged. */
const KEEP_HEADERS = /^(content-type|content-length|user-agent|x-hub-signature-256|x-aisensy-[a-z-]+|x-forwarded-for|x-request-id)$/;

const keptHeaders = (headers: IncomingWebhook['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => KEEP_HEADERS.test(name.toLowerCase())));

const MAX_STORED_BODY = 8 * 1024 * 1024;
const WEBHOOK_TABLE = 'whatsapp_webhook_events';

/** Bytes that are not text (or hold a NUL, which PostgreSQL text refuses) are kept as base64. */
const storable = (raw: string | Buffer | null): { text: string | null; encoding: 'utf8' | 'base64' } => {
  if (raw === null) return { text: null, encoding: 'utf8' };
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  const clipped = bytes.length > MAX_STORED_BODY ? bytes.subarray(0, MAX_STORED_BODY) : bytes;
  if (!isUtf8(clipped) || clipped.includes(0)) return { text: clipped.toString('base64'), encoding: 'base64' };
  return { text: clipped.toString('utf8'), encoding: 'utf8' };
};

/**
 * The synchronous half of the inbound path: authenticate, store the raw body, answer. Nothing is
 * applied here; the inbound worker does that from the stored row, so a crash after the answer
 * loses nothing.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const numbers = () => getService('numbers', { strapi });

  const store = async (number: NumberRow, incoming: IncomingWebhook, fields: { state: string; signatureOk: boolean | null; lastError?: string | null; eventCount?: number }) => {
    const { text, encoding } = storable(incoming.raw);
    const now = new Date();
    // One plain insert: the query engine's create costs three round trips on this hot path.
    const [inserted] = await strapi.db.connection(WEBHOOK_TABLE).insert(
      {
        document_id: crypto.randomBytes(12).toString('hex'),
        number_id: number.id,
        provider: number.provider,
        received_at: now,
        raw_body: text,
        body_encoding: encoding,
        headers: JSON.stringify(keptHeaders(incoming.headers)),
        signature_ok: fields.signatureOk,
        state: fields.state,
        attempts: 0,
        last_error: fields.lastError ?? null,
        event_count: fields.eventCount ?? null,
        created_at: now,
        updated_at: now,
        published_at: now,
      },
      ['id']
    );
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  };

  return {
    async handshake(key: string, query: Record<string, unknown>): Promise<HandshakeResult> {
      const number = await numbers().findByWebhookKey(key);
      if (!number) return { status: 404, body: 'unknown webhook URL' };
      return adapterFor(number.provider).handshake(query, numbers().toProviderNumber(number));
    },

    async receive(incoming: IncomingWebhook): Promise<WebhookAnswer> {
      const number = await numbers().findByWebhookKey(incoming.key);
      if (!number) return { status: 404, body: { ok: false, error: 'unknown webhook URL' } };

      const reject = async (status: number, error: string, signatureOk: boolean | null) => {
        const eventId = await store(number, incoming, { state: 'rejected', signatureOk, lastError: error });
        strapi.log.warn(`[whatsapp] webhook for number ${number.id} rejected (${status}): ${error}`);
        return { status, body: { ok: false, error, eventId } };
      };

      if (incoming.bodyError) {
        const { status, message } = incoming.bodyError;
        return reject(status === 413 ? 413 : 400, status === 413 ? `body too large: ${message}` : `malformed body: ${message}`, null);
      }
      if (incoming.raw === null || incoming.raw.length === 0) return reject(400, 'empty body', null);

      const adapter = adapterFor(number.provider);
      const verdict = adapter.verify({ rawBody: incoming.raw, headers: incoming.headers }, numbers().toProviderNumber(number));
      if (!verdict.ok) return reject(verdict.status, verdict.reason, false);

      let events: CanonicalEvent[];
      try {
        const text = Buffer.isBuffer(incoming.raw) ? incoming.raw.toString('utf8') : incoming.raw;
        events = adapter.parse(JSON.parse(text));
      } catch (error) {
        const reason = error instanceof MalformedPayloadError ? error.message : `malformed JSON: ${(error as Error).message}`;
        return reject(400, reason, true);
      }

      if (!number.active) {
        const eventId = await store(number, incoming, { state: 'ignored', signatureOk: true, lastError: 'number is not active', eventCount: events.length });
        return { status: 200, body: { ok: true, eventId } };
      }

      const route = numbers().router(number);
      const targets = await Promise.all(events.map((e) => route(e.businessId)));
      if (events.length > 0 && targets.every((t) => t === null)) {
        const foreign = [...new Set(events.map((e) => e.businessId))].join(', ');
        return reject(403, `the body addresses ${foreign}, which is not this number`, true);
      }

      const eventId = await store(number, incoming, { state: 'pending', signatureOk: true, eventCount: events.length });
      getService('inbound', { strapi }).kick();
      return { status: 200, body: { ok: true, eventId } };
    },
  };
};
