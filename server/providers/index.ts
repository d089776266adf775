import type { Provider } from '../../contracts/numbers';
import { aisensy } from './aisensy';
import { gupshup } from './gupshup';
import { meta } from './meta';
import type { CanonicalEvent, ClassifiedError, HandshakeResult, ProviderErrorDetail, ProviderNumber, VerifyResult, WebhookRequest } from './types';

export interface ProviderAdapter {
  verify(request: WebhookRequest, number: ProviderNumber): VerifyResult;
  handshake(query: Record<string, unknown>, number: ProviderNumber): HandshakeResult;
  parse(body: unknown): CanonicalEvent[];
  classify(error: unknown): ClassifiedError;
  /** Classifies an error the provider reported in a webhook (a failed status, say). */
  classifyDetail(detail: ProviderErrorDetail): ClassifiedError;
  /** Whether an id a webhook names the business by (phone number id, WABA, app) is this number's. */
  owns(number: ProviderNumber, businessId: string): boolean;
}

const ADAPTERS: Record<Provider, ProviderAdapter> = { meta, gupshup, aisensy };

export const adapterFor = (provider: Provider): ProviderAdapter => ADAPTERS[provider];

export * from './types';
