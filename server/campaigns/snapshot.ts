/**
 * An occurrence and its recipients: created once per due time (a unique key, so two ticks or two
 * clicks make one), then its recipients written once (unique on occurrence + phone), each with its
 * rendered parameters or the reason it is left out. Safe to run again after a crash.
 */
import type { Core } from '@strapi/strapi';
import { EXCLUSION_LABELS } from '../../contracts/campaigns';
import { UID } from '../constants';
import { rowInserter } from '../db-rows';
import { campaignOccurrenceKey } from '../keys';
import { zoneOfPhone } from './country-zones';
import { evaluate, type Evaluated } from './preflight';
import { perRecipient } from './quiet-hours';

type Row = Record<string, any>;
const CHUNK = 200;

/** The occurrence due at `dueAt`, created if it does not exist yet (`init`: fields of a new one, e.g. a refused run's `failed` state). */
export const occurrenceFor = async (strapi: Core.Strapi, campaign: Row, dueAt: Date, spreadOverDays: boolean, keyAt = dueAt, init: Row = {}) => {
  const key = campaignOccurrenceKey(campaign.id, keyAt);
  const knex = strapi.db.connection;
  await rowInserter(strapi, UID.campaignOccurrence).insertIfNone(knex, [{ campaignId: campaign.id, key, scheduledFor: dueAt, state: 'running', snapshotDone: false, spreadOverDays, startedAt: new Date(), ...init }], ['key']);
  return strapi.db.query(UID.campaignOccurrence as any).findOne({ where: { key } }) as Promise<Row>;
};

/** Rows that hold no usable phone are told apart by where they came from (the phone is unique per occurrence). */
const phoneOf = (r: Evaluated) => {
  if (r.excluded !== 'no-phone' && r.excluded !== 'invalid-phone' && r.excluded !== 'duplicate') return r.phone;
  const where = 'documentId' in r.origin ? `record ${r.origin.documentId}` : `CSV row ${r.origin.csvRow}`;
  return `${r.phone || '(no phone)'} · ${where}`;
};

const reasonOf = (r: Evaluated) => (r.excluded ? `${r.excluded}: ${EXCLUSION_LABELS[r.excluded]}${r.detail ? ` (${r.detail})` : ''}` : null);

/** Writes the occurrence's recipients (once), then marks the snapshot done; answers how many rows it holds. */
export const snapshot = async (strapi: Core.Strapi, campaign: Row, occurrence: Row) => {
  if (occurrence.snapshotDone) return;
  const { recipients } = await evaluate(strapi, campaign);
  const inserter = rowInserter(strapi, UID.campaignRecipient);
  const knex = strapi.db.connection;
  const zoned = perRecipient(campaign.schedule);
  for (let i = 0; i < recipients.length; i += CHUNK) {
    const rows = recipients.slice(i, i + CHUNK).map((r) => ({
      campaignId: campaign.id,
      occurrenceId: occurrence.id,
      phone: phoneOf(r),
      state: r.excluded ? 'skipped' : 'pending',
      reason: reasonOf(r),
      params: r.params,
      source: r.origin,
      attempt: 0,
      // Per-recipient quiet hours: the zone the audience names, else the phone's country's (null: the campaign's).
      timeZone: zoned && !r.excluded ? r.timeZone ?? zoneOfPhone(r.phone) : null,
    }));
    await inserter.insertIfNone(knex, rows, ['occurrenceId', 'phone']);
  }
  await strapi.db.query(UID.campaignOccurrence as any).update({ where: { id: occurrence.id }, data: { snapshotDone: true } });
};
