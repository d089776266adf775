/** Date-relative reminders ("3 days before dueDate"), run by the cron job. */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getService } from '../utils';
import { dayFilter, reminderDays, reminderRow, type Row } from './logic';
import { populateFor, recordFirings, refusalOf } from './records';

const REMINDER_PAGE = 500;

/** Firings for the records of a dateOffset rule whose date is `day`, a page at a time. */
const remindOn = async (strapi: Core.Strapi, rule: Row, day: string, timeZone: string) => {
  const refused = await refusalOf(strapi, rule);
  if (refused) {
    strapi.log.warn(`[whatsapp] reminder rule ${rule.id} (${rule.name}) skipped: ${refused}`);
    return 0;
  }
  const ct = strapi.contentTypes[rule.contentType as keyof typeof strapi.contentTypes] as { attributes: Record<string, any>; options?: { draftAndPublish?: boolean } } | undefined;
  const type = ct?.attributes[rule.field]?.type;
  if (type !== 'date' && type !== 'datetime') {
    strapi.log.warn(`[whatsapp] reminder rule ${rule.id} (${rule.name}) skipped: ${rule.contentType} has no date field ${rule.field}`);
    return 0;
  }
  const filters = dayFilter(rule.field, type, day, timeZone);
  // findMany reads drafts unless told otherwise: a reminder is about what the business published.
  const status = ct?.options?.draftAndPublish ? { status: 'published' } : {};
  let created = 0;
  const populate = await populateFor(strapi, rule.contentType, rule);
  for (let start = 0; ; start += REMINDER_PAGE) {
    const records = (await strapi.documents(rule.contentType as any).findMany({ filters: filters as any, ...status, populate: populate as any, sort: 'id:asc', start, limit: REMINDER_PAGE } as any)) as Row[];
    const rows = records.map((r) => reminderRow(rule, r, day));
    await strapi.db.transaction(async ({ trx }) => recordFirings(strapi, trx as any, rows));
    created += rows.length;
    if (records.length < REMINDER_PAGE) return created;
  }
};

/**
 * Records whose date is today minus the offset get a firing, and so do yesterday's (see
 * `reminderDays`); "today" is the business's day (the business hours' time zone, else UTC). The key
 * (rule, record, date) makes a second run, or a second instance, a no-op. One broken rule is
 * logged and the others still run. Answers how many firings it looked at.
 */
export const remind = async (strapi: Core.Strapi, now = new Date()) => {
  const rules = (await strapi.db.query(UID.notificationRule as any).findMany({ where: { active: true, event: 'dateOffset' }, orderBy: { id: 'asc' } })) as Row[];
  const timeZone = (await getService('settings', { strapi }).get()).businessHours?.timezone ?? 'UTC';
  let created = 0;
  for (const rule of rules) {
    try {
      for (const day of reminderDays(now, timeZone, rule.offsetDays)) created += await remindOn(strapi, rule, day, timeZone);
    } catch (error) {
      strapi.log.error(`[whatsapp] reminder rule ${rule.id} (${rule.name}): ${(error as Error).message}`);
    }
  }
  return created;
};
