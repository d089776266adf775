/** Number health and provider errors from a webhook, applied to every number the call speaks for. */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { type NumberEvent, type ProviderErrorEvent } from '../../providers';
import type { NumberRow } from '../../number-rows';
import { numbersOwning } from '../../webhook-routing';

export const applyNumberHealth = async (strapi: Core.Strapi, number: NumberRow, event: NumberEvent | ProviderErrorEvent) => {
  const ids = (await numbersOwning(strapi, number, event.businessId)).map((n) => n.id);
  const detail = event.kind === 'error' ? { errors: event.errors, at: event.timestamp } : { field: event.field, event: event.event, limit: event.limit, at: event.timestamp };
  await strapi.db.query(UID.number as any).updateMany({ where: { id: { $in: ids } }, data: { health: event.kind === 'error' ? 'error' : event.event, healthDetail: detail } });
};
