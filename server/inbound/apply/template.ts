/** Template status, quality and category changes from a webhook. */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import type { TemplateEvent } from '../../providers';
import type { NumberRow } from '../../number-rows';
import { numbersOwning } from '../../webhook-routing';

/** Returns false when no stored template matched: the number's templates need a sync. */
export const applyTemplate = async (strapi: Core.Strapi, number: NumberRow, event: TemplateEvent) => {
  const ids = (await numbersOwning(strapi, number, event.businessId)).map((n) => n.id);
  const data: Record<string, unknown> = { syncedAt: new Date() };
  if (event.change === 'status') Object.assign(data, { status: event.status, rejectionReason: event.status === 'REJECTED' ? [event.reason, event.rejection?.reason].filter(Boolean).join(': ') || null : null });
  if (event.change === 'quality') data.quality = event.quality;
  if (event.change === 'category') data.category = event.category;
  const { count } = await strapi.db.query(UID.template as any).updateMany({ where: { numberId: { $in: ids }, name: event.name, ...(event.language ? { language: event.language } : {}) }, data });
  return count > 0;
};
