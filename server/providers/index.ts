import type { Provider } from '../../contracts/numbers';
import { aisensy } from './aisensy';
import { gupshup } from './gupshup';
import { meta } from './meta';
import type {
  CanonicalEvent,
  ClassifiedError,
  ConnectionCheck,
  HandshakeResult,
  MediaFile,
  OutboundMessage,
  ProviderContext,
  ProviderErrorDetail,
  ProviderNumber,
  ProviderTemplate,
  SendResult,
  VerifyResult,
  WebhookRequest,
} from './types';

export interface ProviderAdapter {
  verify(request: WebhookRequest, number: ProviderNumber): VerifyResult;
  handshake(query: Record<string, unknown>, number: ProviderNumber): HandshakeResult;
  parse(body: unknown): CanonicalEvent[];
  classify(error: unknown): ClassifiedError;
  /** Classifies an error the provider reported in a webhook (a failed status, say). */
  classifyDetail(detail: ProviderErrorDetail): ClassifiedError;
  /** Whether an id a webhook names the business by (phone number id, WABA, app) is this number's. */
  owns(number: ProviderNumber, businessId: string): boolean;
  send(ctx: ProviderContext, number: ProviderNumber, message: OutboundMessage): Promise<SendResult>;
  /** Tells the customer's phone their message was read (optionally showing "typing"): a receipt, not a message. */
  markRead(ctx: ProviderContext, number: ProviderNumber, messageId: string, options?: { typing?: boolean }): Promise<SendResult>;
  /** Every template, all pages. Throws UnsupportedByProviderError where the provider lists none. */
  listTemplates(ctx: ProviderContext, number: ProviderNumber): Promise<ProviderTemplate[]>;
  /** An inbound media file by the reference its webhook gave (Meta: media id; others: URL). */
  downloadMedia(ctx: ProviderContext, number: ProviderNumber, ref: string): Promise<MediaFile>;
  /** Uploads a file to send by id; providers that send media only by link refuse with a typed error. */
  uploadMedia(ctx: ProviderContext, number: ProviderNumber, file: MediaFile): Promise<{ mediaId: string }>;
  checkConnection(ctx: ProviderContext, number: ProviderNumber): Promise<ConnectionCheck>;
  /** What this provider can do, for the README's table and for callers choosing a path. */
  capabilities: { freeForm: boolean; /** Reply buttons and lists (bots send numbered text where false). */ interactive: boolean; markRead: boolean; reactions: boolean; templateSync: boolean; signedWebhooks: 'always' | 'optional' | 'never' };
}

const ADAPTERS: Record<Provider, ProviderAdapter> = { meta, gupshup, aisensy };

export const adapterFor = (provider: Provider): ProviderAdapter => ADAPTERS[provider];

export * from './types';
