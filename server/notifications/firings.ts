/** The firing worker: claims pending firings after the host's write committed, renders each and queues its message. */
import type { Core } from '@strapi/strapi';
import { createClaims, type Claimable } from '../claims';
import { UID } from '../constants';
import { firingMessageKey, firingSourceRef } from '../keys';
import { recordE164, regionOf } from '../phone';
import { createWorkerLoop } from '../worker-loop';
import { emptyParameter, recipientOf, render, slotName, type Row } from './logic';
import { loadRecord, recordLink, refusalOf } from './records';
import { sendNotification } from './send';
import { sourcesOf } from './trace';

const SWEEP_MS = 5_000;
const CLAIM_PAGE = 50;
/** Longer than any send takes: a claim this old was left by a process that stopped, and its firing is taken again. */
const LEASE_MS = 5 * 60_000;

const firingClaims = (strapi: Core.Strapi) =>
  createClaims<Row & Claimable>(strapi, { uid: UID.notificationFiring, leaseMs: LEASE_MS, pending: { state: 'pending' }, countsAttempts: false });

/**
 * Writes a firing's outcome: a claimed one through claims.release (only while the lease is still
 * this claim's, so a worker past its lease ends nothing another took over), a test send's
 * unclaimed one as it is.
 */
const finishOf = (strapi: Core.Strapi, firing: Row) => (data: Row) => {
  const outcome = { attempts: (firing.attempts ?? 0) + 1, ...data };
  if (firing.claimedUntil) return firingClaims(strapi).release([firing as Row & Claimable & { claimedUntil: Date }], outcome);
  return strapi.db.query(UID.notificationFiring as any).update({ where: { id: firing.id }, data: { lockedUntil: null, ...outcome } });
};

/** Renders one firing and queues its message, recording the outcome (and a trace) on the firing. */
export const fire = async (strapi: Core.Strapi, firing: Row) => {
  const finish = finishOf(strapi, firing);
  const q = (uid: string) => strapi.db.query(uid as any);
  const rule = await q(UID.notificationRule).findOne({ where: { id: firing.ruleId } });
  if (!rule) return finish({ state: 'skipped', error: 'the rule was deleted', trace: { matched: false, reason: 'rule deleted' } });
  const refused = await refusalOf(strapi, rule);
  if (refused) return finish({ state: 'skipped', error: refused, trace: { matched: false, reason: 'the rule reads a field no rule may send' } });
  const record = firing.trace?.snapshot ?? (await loadRecord(strapi, firing.contentType, firing.recordDocumentId, rule, firing.locale));
  if (!record) return finish({ state: 'skipped', error: 'the record no longer exists', trace: { matched: false, reason: 'record gone' } });
  // The provider refuses an empty parameter only later and less clearly; say which one it is.
  const empty = emptyParameter(rule, record);
  if (empty) {
    const reason = `${slotName(empty)}: ${empty.value} is empty`;
    return finish({ state: 'skipped', error: reason, trace: { matched: true, reason } });
  }
  const parameters = render(rule, record, recordLink(strapi, firing.contentType, record));
  // Which field each value came from, so a trace can be redacted for a viewer who may not read it.
  const sources = sourcesOf(rule);
  const rawPhone = recipientOf(rule, record);
  const number = await q(UID.number).findOne({ where: { id: rule.numberId, deletedAt: null } });
  if (!number || !number.active) return finish({ state: 'failed', error: 'the rule’s number is removed or switched off', trace: { matched: true, sources, parameters, recipient: rawPhone } });
  const e164 = rawPhone ? recordE164(rawPhone, regionOf(number)) : null;
  if (!e164) return finish({ state: 'skipped', error: rawPhone ? `not a valid phone number: ${rawPhone}` : `no phone at ${rule.recipient.value}`, trace: { matched: true, sources, parameters, recipient: rawPhone || null } });
  try {
    // The outbox decides (opt-out, unreachable, template) and opens the conversation, linked to the customer's CRM record.
    const sent = await sendNotification(strapi, {
      numberId: number.id,
      phone: e164,
      recipientOf: rule.recipient.from === 'field' ? { uid: firing.contentType, record, path: rule.recipient.value } : undefined,
      template: { name: rule.template.name, language: rule.template.language, params: parameters },
      idempotencyKey: firingMessageKey(firing.id),
      sourceRef: firingSourceRef(rule.id, firing.id),
    });
    if ('skipped' in sent) return finish({ state: 'skipped', error: sent.skipped, trace: { matched: true, ...(sent.reason === 'opted-out' ? { reason: 'opted out' } : {}), sources, parameters, recipient: e164 } });
    return finish({ state: 'queued', messageId: sent.messageId, error: null, trace: { matched: true, sources, parameters, recipient: e164, messageId: sent.messageId } });
  } catch (error) {
    const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors?.map((e) => e.message).join('; ');
    return finish({ state: 'failed', error: details ? `${(error as Error).message}: ${details}` : (error as Error).message, trace: { matched: true, sources, parameters, recipient: e164 } });
  }
};

/**
 * The worker: passes over pending firings, driven by the in-process loop (kicked after a commit,
 * swept every few seconds). A firing is claimed with a lease just before it is sent; one whose
 * process stopped mid-send is taken again when the lease runs out, which is safe: the
 * outbox's idempotency key is the firing's own (`firing:<id>` in its conversation), so a
 * message already queued is found, not sent twice. `fire` counts the attempt when it finishes.
 */
export const firingWorker = (strapi: Core.Strapi) => {
  const claims = firingClaims(strapi);
  /** Whether this start's first pass has looked for firings an earlier version left claimed. */
  let upgraded = false;
  const pass = async (stopped: () => boolean) => {
    if (!upgraded) {
      // Before the claims had a lease, a claimed firing was `queued` until its message existed: one a process left so is sent again (its idempotency key finds a message already queued).
      const { count } = await strapi.db.query(UID.notificationFiring as any).updateMany({ where: { state: 'queued', messageId: null }, data: { state: 'pending', lockedUntil: null } });
      if (count) strapi.log.warn(`[whatsapp] ${count} notification firing(s) claimed by an earlier version and never sent; sending them now`);
      upgraded = true;
    }
    for (let rows = await claims.due(0, CLAIM_PAGE); rows.length && !stopped(); rows = await claims.due(0, CLAIM_PAGE)) {
      for (const firing of rows) {
        const [claimed] = await claims.claim([firing]);
        if (!claimed) continue;
        await fire(strapi, claimed).catch((error) => claims.release([claimed], { state: 'failed', error: (error as Error).message }));
      }
    }
  };
  const loop = createWorkerLoop(strapi, 'notification worker', pass, SWEEP_MS);
  return {
    ...loop,
    /** The first pass after each start looks for firings an earlier version left claimed. */
    start() {
      upgraded = false;
      loop.start();
    },
  };
};
