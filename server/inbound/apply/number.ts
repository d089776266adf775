/** Number health and provider errors from a webhook, applied to every number the call speaks for. */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { type NumberEvent, type ProviderErrorEvent } from '../../providers';
import type { NumberRow } from '../../services/numbers';
import { getService } from '../../utils';
import { signsBodies } from '../../webhook-routing';

/** The numbers a business-level event (template, health) is about: `number` and the siblings the same signed call speaks for. */
export const numbersOwning = async (strapi: Core.Strapi, number: NumberRow, businessId: string | null) => {
  // An unsigned call speaks for the number whose URL it came to, never for its siblings.
  if (!signsBodies(number)) return [number];
  const clients = getService('provider-calls', { strapi });
  const secretOf = (row: NumberRow) => clients.for(row).number.credentials.appSecret ?? null;
  const secret = secretOf(number);
  const rows = await getService('numbers', { strapi }).listRows(number.provider);
  // Only siblings signed for with the same app secret: another app's number naming the same WABA is not this call's to change.
  return rows.filter((row) => row.id === number.id || (businessId !== null && secret !== null && secretOf(row) === secret && clients.for(row).owns(businessId)));
};

export const applyNumberHealth = async (strapi: Core.Strapi, number: NumberRow, event: NumberEvent | ProviderErrorEvent) => {
  const ids = (await numbersOwning(strapi, number, event.businessId)).map((n) => n.id);
  const detail = event.kind === 'error' ? { errors: event.errors, at: event.timestamp } : { field: event.field, event: event.event, limit: event.limit, at: event.timestamp };
  await strapi.db.query(UID.number as any).updateMany({ where: { id: { $in: ids } }, data: { health: event.kind === 'error' ? 'error' : event.event, healthDetail: detail } });
};
