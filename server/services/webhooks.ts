import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { REJECTED_BODY_KEPT_BYTES, UID, WEBHOOK_QUEUE_MAX_BYTES, WEBHOOK_QUEUE_MAX_ROWS, WEBHOOK_RETRY_AFTER_S } from '../constants';
import { reasonOf, rowInserter } from '../db-rows';
import { createGroupInsert } from '../group-insert';
import { MalformedPayloadError, type CanonicalEvent, type HandshakeResult } from '../providers';
import { parseWebhookJson } from '../providers/json';
import { getService } from '../utils';
import { routerFor, signsBodies } from '../webhook-routing';
import type { NumberRow } from '../number-rows';

export interface IncomingWebhook {
  key: string;
  /** The exact bytes received, or null when the body could not be read. */
  raw: string | Buffer | null;
  headers: Record<string, string | string[] | undefined>;
  /** Set when the body could not be read (too large, broken stream). */
  bodyError?: { status: number; message: string } | null;
}

export interface WebhookAnswer {
  status: number;
  body: { ok: boolean; error?: string; eventId?: number };
  /** Seconds the caller should wait before delivering the call again (a 503). */
  retryAfter?: number;
}

/**
 * Events one call may carry. Meta aggregates up to 1,000 updates per call; twice that leaves room,
 * and a call past it would hold the inbound worker for seconds, so it is refused.
 */
export const MAX_EVENTS_PER_CALL = 2000;

/** Headers worth keeping with a stored webhook; cookies and credentials are never logged. */
const KEEP_HEADERS = /^(content-type|content-length|user-agent|x-hub-signature-256|x-aisensy-[a-z-]+|x-forwarded-for|x-request-id)$/;

const keptHeaders = (headers: IncomingWebhook['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && KEEP_HEADERS.test(name.toLowerCase())));

const bytesOf = (raw: string | Buffer) => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'));

/** Bytes that are not text (or hold a NUL, which PostgreSQL text refuses) are kept as base64. */
const storable = (bytes: Buffer | null): { text: string | null; encoding: 'utf8' | 'base64' } => {
  if (bytes === null) return { text: null, encoding: 'utf8' };
  if (!isUtf8(bytes) || bytes.includes(0)) return { text: bytes.toString('base64'), encoding: 'base64' };
  return { text: bytes.toString('utf8'), encoding: 'utf8' };
};

/** The first bytes of a refused body, cut on a character boundary, and what identifies the whole. */
const excerptOf = (bytes: Buffer) => {
  if (bytes.length <= REJECTED_BODY_KEPT_BYTES) return { kept: bytes, note: null };
  let end = REJECTED_BODY_KEPT_BYTES;
  while (end > REJECTED_BODY_KEPT_BYTES - 4 && !isUtf8(bytes.subarray(0, end))) end -= 1;
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  return { kept: bytes.subarray(0, end), note: `body truncated: first ${end} of ${bytes.length} bytes kept, sha256 ${sha256}` };
};

/**
 * The synchronous half of the inbound path: authenticate, store the raw body, answer. Nothing is
 * applied here; the inbound worker does that from the stored row, so a crash after the answer
 * loses nothing.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const numbers = () => getService('numbers', { strapi });
  let inserter: ReturnType<typeof rowInserter> | null = null;
  const rows = () => (inserter ??= rowInserter(strapi, UID.webhookEvent));
  // Plain inserts: the query engine's create costs three round trips on this hot path.
  const grouped = createGroupInsert(
    (data: Record<string, unknown>[]) => rows().insert(strapi.db.connection, data),
    (row) => String(row.rawBody ?? '').length,
    { maxRows: WEBHOOK_QUEUE_MAX_ROWS, maxWeight: WEBHOOK_QUEUE_MAX_BYTES }
  );
  /** Calls answered 503 since the last log line: a database outage logs a line a second, not one per call. */
  let refused = 0;
  let loggedAt = 0;
  const unavailable = (error: unknown): WebhookAnswer => {
    refused += 1;
    if (Date.now() - loggedAt >= 1000) {
      strapi.log.error(`[whatsapp] ${refused} webhook call(s) answered 503 (the provider delivers them again): ${reasonOf(error)}`);
      refused = 0;
      loggedAt = Date.now();
    }
    return { status: 503, body: { ok: false, error: 'the call could not be stored now; deliver it again later' }, retryAfter: WEBHOOK_RETRY_AFTER_S };
  };

  const store = async (number: NumberRow, incoming: IncomingWebhook, fields: { state: string; signatureOk: boolean | null; lastError?: string | null; eventCount?: number }) => {
    const bytes = incoming.raw === null ? null : bytesOf(incoming.raw);
    const excerpt = fields.state === 'rejected' && bytes ? excerptOf(bytes) : null;
    const { text, encoding } = storable(excerpt ? excerpt.kept : bytes);
    // A reason may quote the body (JSON.parse's message does), and PostgreSQL text refuses NUL.
    const lastError = [fields.lastError, excerpt?.note].filter(Boolean).join('; ').replace(/\u0000/g, '\\0') || null;
    return grouped.add({
      numberId: number.id,
      provider: number.provider,
      receivedAt: new Date(),
      rawBody: text,
      bodyEncoding: encoding,
      headers: keptHeaders(incoming.headers),
      signatureOk: fields.signatureOk,
      state: fields.state,
      attempts: 0,
      lastError,
      eventCount: fields.eventCount ?? null,
    });
  };

  const receiveOnce = async (incoming: IncomingWebhook): Promise<WebhookAnswer> => {
    const number = await numbers().findByWebhookKey(incoming.key);
    if (!number) return { status: 404, body: { ok: false, error: 'unknown webhook URL' } };

    const reject = async (status: number, error: string, signatureOk: boolean | null) => {
      const eventId = await store(number, incoming, { state: 'rejected', signatureOk, lastError: error });
      strapi.log.warn(`[whatsapp] webhook for number ${number.id} rejected (${status}): ${error}`);
      return { status, body: { ok: false, error, eventId } };
    };
    const ignore = async (reason: string, signatureOk: boolean, eventCount: number) => {
      const eventId = await store(number, incoming, { state: 'ignored', signatureOk, lastError: reason, eventCount });
      return { status: 200, body: { ok: true, eventId } };
    };

    if (incoming.bodyError) {
      const { status, message } = incoming.bodyError;
      return reject(status === 413 ? 413 : 400, status === 413 ? `body too large: ${message}` : `malformed body: ${message}`, null);
    }
    if (incoming.raw === null || incoming.raw.length === 0) return reject(400, 'empty body', null);

    // Credentials that cannot be decrypted (the encryption key changed) must not read as "none set":
    // that would switch signature checks off.
    const client = getService('provider-calls', { strapi }).for(number);
    if (number.credentials && !client.credentialsReadable) {
      return reject(403, "the number's stored credentials cannot be read (was the encryption key changed?); enter them again", null);
    }

    const verdict = client.verify({ rawBody: incoming.raw, headers: incoming.headers });
    if (!verdict.ok) return reject(verdict.status, verdict.reason, false);

    // JSON is UTF-8: bytes that are not would be stored as base64 and never parse again in the worker.
    const bytes = bytesOf(incoming.raw);
    if (!isUtf8(bytes)) return reject(400, 'malformed body: not UTF-8 text', true);

    let events: CanonicalEvent[];
    try {
      events = client.parse(parseWebhookJson(bytes.toString('utf8')));
    } catch (error) {
      const reason = error instanceof MalformedPayloadError ? error.message : `malformed JSON: ${(error as Error).message}`;
      return reject(400, reason, true);
    }
    if (events.length > MAX_EVENTS_PER_CALL) return reject(400, `too many events in one call: ${events.length}, at most ${MAX_EVENTS_PER_CALL}`, true);

    if (!number.active) return ignore('number is not active', true, events.length);

    const route = routerFor(strapi, number);
    const targets = await Promise.all(events.map((e) => route(e.businessId)));
    if (events.length > 0 && targets.every((t) => t === null)) {
      const foreign = [...new Set(events.map((e) => e.businessId))].join(', ');
      // Meta sends every number of an app to one callback and retries anything but a 2xx for days:
      // a signed body for a number we do not have is acknowledged and kept, not refused.
      if (signsBodies(number)) return ignore(`the body addresses ${foreign}, which is no number here`, true, events.length);
      // An unsigned call is authenticated by its URL key only, which speaks for this number alone.
      return reject(403, `the body addresses ${foreign}, which is not this number; this URL accepts only its own number's events`, true);
    }

    const inbound = getService('inbound', { strapi });
    const eventId = await store(number, incoming, { state: 'pending', signatureOk: true, eventCount: events.length });
    inbound.kick();
    return { status: 200, body: { ok: true, eventId } };
  };

  return {
    async handshake(key: string, query: Record<string, unknown>): Promise<HandshakeResult> {
      const number = await numbers().findByWebhookKey(key);
      if (!number) return { status: 404, body: 'unknown webhook URL' };
      return getService('provider-calls', { strapi }).for(number).handshake(query);
    },

    /**
     * Stores the call and answers it. Nothing is acknowledged before its row is committed: when it
     * cannot be (too much waiting, the database down or failing), the answer is 503 with
     * Retry-After, which providers deliver again, never a 500.
     */
    async receive(incoming: IncomingWebhook): Promise<WebhookAnswer> {
      try {
        return await receiveOnce(incoming);
      } catch (error) {
        return unavailable(error);
      }
    },
  };
};
