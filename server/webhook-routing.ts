/** Which number an event of a webhook call is applied to: a signed Meta call may speak for its app's other numbers, an unsigned call only for its URL's. */
import type { Core } from '@strapi/strapi';
import { UID } from './constants';
import type { NumberRow } from './number-rows';
import { adapterFor } from './providers';
import { getService } from './utils';

/** Whether a call's body is signed with a credential that may serve several numbers (Meta's app secret). */
export const signsBodies = (number: Pick<NumberRow, 'provider'>) => adapterFor(number.provider).capabilities.signedWebhooks === 'always';

/**
 * Which number an event of a call on `number`'s URL is for, or null when not one we may apply it
 * to. Meta posts every number of an app to one callback, signed with the app secret, so an event
 * naming another live number of ours is that number's when both share the secret that
 * authenticated the call; an unsigned call (Gupshup, AiSensy) is authenticated by its URL key
 * alone, which speaks for that one number.
 */
export const routerFor = (strapi: Core.Strapi, number: NumberRow) => {
  const providers = getService('provider-calls', { strapi });
  const self = providers.for(number);
  if (!signsBodies(number)) return async (businessId: string | null): Promise<NumberRow | null> => (!businessId || self.owns(businessId) ? number : null);
  const secretOf = (row: NumberRow) => {
    const { credentials } = providers.for(row).number;
    return credentials.appSecret ?? credentials.apiKey ?? null;
  };
  let siblings: NumberRow[] | null = null;
  return async (businessId: string | null): Promise<NumberRow | null> => {
    if (!businessId || self.owns(businessId)) return number;
    siblings ??= ((await strapi.db.query(UID.number).findMany({ where: { provider: number.provider, deletedAt: null } })) as NumberRow[]).filter((r) => r.id !== number.id);
    // Same credential: the call that carried this event was authenticated for that number too.
    return siblings.find((r) => providers.for(r).owns(businessId) && secretOf(r) === secretOf(number)) ?? null;
  };
};
