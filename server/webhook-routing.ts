/** Which number an event of a webhook call is applied to: a signed Meta call may speak for its app's other numbers, an unsigned call only for its URL's. */
import type { Core } from '@strapi/strapi';
import type { NumberRow } from './number-rows';
import { adapterFor } from './providers';
import { getService, type Services } from './utils';

/** Whether a call's body is signed with a credential that may serve several numbers (Meta's app secret). */
export const signsBodies = (number: Pick<NumberRow, 'provider'>) => adapterFor(number.provider).capabilities.signedWebhooks === 'always';

type Clients = Pick<Services['provider-calls'], 'for'>;

/** Whether a call authenticated with `a`'s app secret is authenticated for `b` too: both hold that same secret. */
const signedAlike = (clients: Clients, a: NumberRow, b: NumberRow) => {
  const secretOf = (row: NumberRow) => clients.for(row).number.credentials.appSecret ?? null;
  const secret = secretOf(a);
  return secret !== null && secretOf(b) === secret;
};

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
  let siblings: NumberRow[] | null = null;
  return async (businessId: string | null): Promise<NumberRow | null> => {
    if (!businessId || self.owns(businessId)) return number;
    siblings ??= (await getService('numbers', { strapi }).listRows(number.provider)).filter((r) => r.id !== number.id);
    return siblings.find((r) => providers.for(r).owns(businessId) && signedAlike(providers, number, r)) ?? null;
  };
};

/** The numbers a business-level event (template, health) is about: `number` and the siblings the same signed call speaks for. */
export const numbersOwning = async (strapi: Core.Strapi, number: NumberRow, businessId: string | null) => {
  // An unsigned call speaks for the number whose URL it came to, never for its siblings.
  if (!signsBodies(number)) return [number];
  const clients = getService('provider-calls', { strapi });
  const rows = await getService('numbers', { strapi }).listRows(number.provider);
  // Only siblings signed for with the same app secret: another app's number naming the same WABA is not this call's to change.
  return rows.filter((row) => row.id === number.id || (businessId !== null && signedAlike(clients, number, row) && clients.for(row).owns(businessId)));
};
