/** Which number an event of a webhook call is applied to: a signed Meta call may speak for its app's other numbers, an unsigned call only for its URL's. */
import type { Core } from '@strapi/strapi';
import { adapterFor } from './providers';
import type { NumberRow } from './services/numbers';
import { getService } from './utils';

/** Whether a call's body is signed with a credential that may serve several numbers (Meta's app secret). */
export const signsBodies = (number: Pick<NumberRow, 'provider'>) => adapterFor(number.provider).capabilities.signedWebhooks === 'always';

/**
 * Which number an event of a call on `number`'s URL is for, or null when not one we may apply it
 * to. Meta posts every number of an app to one callback, signed with the app secret, so siblings
 * sharing it are reachable; an unsigned call (Gupshup, AiSensy) is authenticated by its URL key
 * alone, which speaks for that one number.
 */
export const routerFor = (strapi: Core.Strapi, number: NumberRow) => {
  const numbers = getService('numbers', { strapi });
  if (signsBodies(number)) return numbers.router(number);
  const adapter = adapterFor(number.provider);
  const self = numbers.toProviderNumber(number);
  return async (businessId: string | null): Promise<NumberRow | null> => (!businessId || adapter.owns(self, businessId) ? number : null);
};
