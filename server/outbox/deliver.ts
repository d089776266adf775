import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import axios from 'axios';
import { backoffMs, claimByVersion } from '../claims';
import { UID } from '../constants';
import { UnsupportedByProviderError, type OutboundMessage } from '../providers';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';
import type { Refusal } from './admission';
import { createReadmission, type Candidate } from './readmit';
import { createSentRecorder } from './record-sent';
import { SENDING_LEASE_MS } from './stalled';

export type Row = Record<string, any>;

const MAX_ATTEMPTS = 6;
const BACKOFF = { firstMs: 500, factor: 4, capMs: 10 * 60_000 };
/** A switched-off number's queued rows look again this often (and at once when it is switched on). */
const INACTIVE_RECHECK_MS = 60_000;
export const NUMBER_OFF = 'waiting: the number is switched off';
export const NUMBER_REAUTH = 'waiting: the number needs new credentials';
export const REVIEW = { status: 'review', errorClass: 'permanent', errorText: 'interrupted while sending; not resent automatically, check with the customer before sending again' };

/** What a claimed row needs to go out: its number, its conversation and the provider's message. */
export type Prepared = { number: NumberRow; conversation: Row; message: OutboundMessage };
/** Runs the provider call under a driver's admission (the cluster's in-flight count); the call itself is made once. */
export type Through = <T>(call: () => Promise<T>) => Promise<T>;

/** A refusal found right before the call: the reason code in `errorCode`, its sentence as the error. */
const notAdmittedNow = (refusal: Refusal) => ({ class: 'not-admitted', code: refusal.reason, text: `not sent: ${refusal.message}` });

/** What the provider gets for a stored row. */
const outbound = (row: Row, conversation: Row, template: Row | null): OutboundMessage => {
  const to = conversation.customerPhone ?? `+${conversation.customerWaId}`;
  const payload = row.payload ?? {};
  if (row.type === 'template') {
    return { kind: 'template', to, name: row.template.name, language: row.template.language, params: row.template.params, providerTemplateId: template?.providerTemplateId ?? null };
  }
  if (row.type === 'interactive') return { kind: 'interactive', to, interactive: payload.interactive, replyTo: row.replyToProviderId ?? undefined };
  if (row.type === 'location') return { kind: 'location', to, location: payload.location };
  if (row.type === 'contacts') return { kind: 'contacts', to, contact: payload.contact };
  if (['image', 'video', 'audio', 'document'].includes(row.type)) {
    return { kind: 'media', to, mediaType: row.type, link: payload.link, mediaId: payload.providerMediaId, caption: row.text ?? undefined, filename: payload.filename, replyTo: row.replyToProviderId ?? undefined };
  }
  return { kind: 'text', to, text: row.text, replyTo: row.replyToProviderId ?? undefined };
};

/**
 * One send, written once for both drivers: load what the row needs, resolve its file, call the
 * provider, and record the outcome (sent; retried; review when it may have gone; failed with its
 * reason and its consequences for the conversation or the number).
 */
export const createDelivery = (strapi: Core.Strapi) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const readmission = createReadmission(strapi);
  const publish = (row: Row, status: string) =>
    getService('realtime', { strapi }).publish({ type: 'message.status', conversationId: row.conversationId, numberId: row.numberId, messageId: row.id, status });

  /** The bytes of a Media Library file: from the public folder for the local provider, else by its URL. */
  const fileBytes = async (file: Row): Promise<Buffer> => {
    if (/^https?:\/\//.test(file.url)) return Buffer.from((await axios.get<ArrayBuffer>(file.url, { responseType: 'arraybuffer', timeout: 30_000 })).data);
    return fs.readFile(path.join(strapi.dirs.static.public, file.url));
  };

  /** Media Library files go to Meta by upload (sent by id, kept on the row for retries); others get a public link. */
  const resolveFile = async (row: Row, number: NumberRow) => {
    const payload = row.payload ?? {};
    if (!payload.fileId || payload.providerMediaId || payload.link) return payload;
    const file = await q('plugin::upload.file').findOne({ where: { id: payload.fileId } });
    if (!file) throw new UnsupportedByProviderError(number.provider, 'send a file that was deleted from the Media Library');
    let next: Row;
    if (number.provider === 'meta') {
      const { mediaId } = await getService('provider-calls', { strapi }).for(number).uploadMedia({ data: await fileBytes(file), mimeType: file.mime, filename: payload.filename });
      next = { ...payload, providerMediaId: mediaId };
    } else {
      next = { ...payload, link: /^https?:\/\//.test(file.url) ? file.url : `${getService('numbers', { strapi }).publicUrl()}${file.url}` };
    }
    await q(UID.message).update({ where: { id: row.id }, data: { payload: next } });
    return next;
  };

  /** A queued row that may not leave: failed with its reason, never sent (only while still queued, so a claim elsewhere wins). */
  const refused = async (row: Row, c: { class: string; code: string | null; text: string }) => {
    const { count } = await q(UID.message).updateMany({ where: { id: row.id, status: 'queued' }, data: { status: 'failed', failedAt: new Date(), errorClass: c.class, errorCode: c.code, errorText: c.text } });
    if (count) publish(row, 'failed');
  };

  const consequences = async (row: Row, cls: string, c?: { code: string | null; text: string }) => {
    if (cls === 'opted-out') {
      // The provider says the customer stopped marketing messages (Meta 131050): recorded, so the next send is refused before it costs a call.
      const conversation = await q(UID.conversation).findOne({ where: { id: row.conversationId }, select: ['customerPhone', 'customerWaId'] });
      const phone = conversation?.customerPhone ?? conversation?.customerWaId;
      if (phone) await getService('consents', { strapi }).change({ numberId: row.numberId, phone, status: 'opted-out', source: 'provider-error', detail: `the provider refused a send: ${c?.code ?? ''} ${c?.text ?? ''}`.trim(), key: `send:${row.id}` });
    }
    if (cls === 'window-closed') await q(UID.conversation).update({ where: { id: row.conversationId }, data: { templateOnly: true } });
    if (cls === 'invalid-recipient') await q(UID.conversation).update({ where: { id: row.conversationId }, data: { unreachable: true } });
    if (cls === 'auth-problem') {
      await q(UID.number).update({ where: { id: row.numberId }, data: { needsReauth: true, health: 'error' } });
      strapi.log.error(`[whatsapp] number ${row.numberId}: the provider refused its credentials; an admin must enter new ones`);
    }
  };

  /** A send that failed: retried when worth it, put up for review when it may have gone out, else failed with its reason. */
  const failed = async (row: Row, c: { class: string; code: string | null; text: string }): Promise<Date | null> => {
    if (c.class === 'maybe-sent') {
      await q(UID.message).update({ where: { id: row.id }, data: { status: 'review', errorClass: c.class, errorCode: c.code, errorText: `no answer from the provider: it may have been sent; not resent automatically, check with the customer before sending again (${c.text})` } });
      publish(row, 'review');
      return null;
    }
    const retry = ['retryable', 'rate-limited', 'pair-rate-limited'].includes(c.class) && row.attempts < MAX_ATTEMPTS;
    const nextAttemptAt = new Date(Date.now() + backoffMs(row.attempts, BACKOFF));
    await q(UID.message).update({
      where: { id: row.id },
      data: retry
        ? { status: 'queued', nextAttemptAt, errorClass: c.class, errorCode: c.code, errorText: c.text }
        : { status: 'failed', failedAt: new Date(), errorClass: c.class, errorCode: c.code, errorText: c.text },
    });
    if (!retry) {
      await consequences(row, c.class, c);
      publish(row, 'failed');
    }
    return retry ? nextAttemptAt : null;
  };

  /** The cluster's admission (Redis) failed before the provider was called: the row waits its turn again. */
  const notAdmitted = async (row: Row, error: unknown) => {
    const nextAttemptAt = new Date(Date.now() + backoffMs(0, BACKOFF));
    await q(UID.message).update({ where: { id: row.id }, data: { status: 'queued', attempts: Math.max(0, row.attempts - 1), nextAttemptAt, errorText: `not sent yet: ${(error as Error).message}` } });
    return nextAttemptAt;
  };

  /** The provider has the message: recorded `sent` with others answered at the same moment (never queued again). */
  const sent = createSentRecorder(strapi, (row) => publish(row, 'sent'));

  return {
    /**
     * Loads what these rows need and admits them again (they may have waited), a few queries for
     * the lot; answers the rows that may go now. The others: removed or refused, failed with the
     * reason; switched off or awaiting credentials, they wait.
     */
    async prepareMany(rows: Row[]): Promise<Map<number, Prepared>> {
      const ready = new Map<number, Prepared>();
      if (!rows.length) return ready;
      const ids = (field: string) => [...new Set(rows.map((r) => r[field] as number))];
      const numbers = new Map<number, NumberRow>((await q(UID.number).findMany({ where: { id: { $in: ids('numberId') } } })).map((n: NumberRow) => [n.id, n]));
      const conversations = new Map<number, Row>((await q(UID.conversation).findMany({ where: { id: { $in: ids('conversationId') } } })).map((c: Row) => [c.id, c]));
      const names = [...new Set(rows.filter((r) => r.type === 'template').map((r) => r.template.name as string))];
      const templates: Row[] = names.length ? await q(UID.template).findMany({ where: { numberId: { $in: ids('numberId') }, name: { $in: names }, removedAt: null } }) : [];
      const candidates: Candidate[] = [];
      for (const row of rows) {
        const number = numbers.get(row.numberId);
        const conversation = conversations.get(row.conversationId);
        if (!number || number.deletedAt || !conversation) {
          await refused(row, { class: 'permanent', code: null, text: 'the number was removed' });
        } else if (!number.active || number.needsReauth) {
          // Switched off (or its credentials refused) is not gone: the row waits, and goes out once the number is usable again.
          await q(UID.message).update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + INACTIVE_RECHECK_MS), errorText: number.active ? NUMBER_REAUTH : NUMBER_OFF } });
        } else {
          const template = row.type === 'template' ? templates.find((t) => t.numberId === number.id && t.name === row.template.name && t.language === row.template.language) : null;
          candidates.push({ row, number, conversation, template: (template ?? null) as Candidate['template'] });
        }
      }
      const refusals = await readmission.refusals(candidates);
      for (const { row, number, conversation, template } of candidates) {
        const refusal = refusals.get(row.id);
        if (refusal) await refused(row, notAdmittedNow(refusal));
        else ready.set(row.id, { number, conversation, message: outbound(row, conversation, template) });
      }
      return ready;
    },

    /** One row's `prepareMany`: null when it cannot go now. */
    async prepare(row: Row): Promise<Prepared | null> {
      return (await this.prepareMany([row])).get(row.id) ?? null;
    },

    /** Sends a claimed row (status `sending`); answers when it should be tried again, if it should. */
    async deliver(row: Row, { number, conversation, message: prepared }: Prepared, through?: Through): Promise<Date | null> {
      const client = getService('provider-calls', { strapi }).for(number);
      let message: OutboundMessage;
      try {
        message = row.payload?.fileId ? outbound({ ...row, payload: await resolveFile(row, number) }, conversation, null) : prepared;
      } catch (error) {
        // Nothing was sent yet: an upload that got no answer is simply made again.
        const c = error instanceof UnsupportedByProviderError ? { class: 'permanent', code: null, text: error.message } : client.classify(error);
        return failed(row, c.class === 'maybe-sent' ? { ...c, class: 'retryable' } : c);
      }
      let called = false;
      const call = () => {
        called = true;
        return client.send(message);
      };
      let result: Awaited<ReturnType<typeof client.send>>;
      try {
        result = await (through ? through(call) : call());
      } catch (error) {
        if (!called) return notAdmitted(row, error);
        return failed(row, error instanceof UnsupportedByProviderError ? { class: 'permanent', code: null, text: error.message } : client.classify(error));
      }
      await sent.add(row, result.providerMessageId);
      return null;
    },

    /** Claims a queued row for sending (once: the attempt count is the claim's version), with a lease the stalled check reads; null when another got it. */
    async claim(row: Row, data: Row = {}) {
      return (await claimByVersion(strapi, UID.message, [row as Row & { id: number; attempts: number }], { from: { status: 'queued' }, to: { status: 'sending', ...data }, leaseMs: SENDING_LEASE_MS })).get(row.id) ?? null;
    },

    /** Claims these queued rows at once (one statement per attempt count); answers the rows this call claimed, by id. */
    claimMany(rows: Row[]): Promise<Map<number, Row>> {
      return claimByVersion(strapi, UID.message, rows as (Row & { id: number; attempts: number })[], { from: { status: 'queued' }, to: { status: 'sending' }, leaseMs: SENDING_LEASE_MS });
    },

    /** The recipient's sends wait: their pair rate is used up until then. */
    async putOff(row: Row, waitMs: number) {
      const at = new Date(Date.now() + waitMs);
      await q(UID.message).update({ where: { id: row.id }, data: { nextAttemptAt: at } });
      return at;
    },
  };
};

export type Delivery = ReturnType<typeof createDelivery>;
