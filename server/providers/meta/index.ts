import { checkConnection, downloadMedia, listTemplates, markRead, send, uploadMedia } from './api';
import { classify, classifyDetail } from './classify';
import { parse } from './parse';
import { handshake, verify } from './verify';

import type { ProviderNumber } from '../types';

const owns = (number: ProviderNumber, businessId: string) => [number.phoneNumberId, number.wabaId].includes(businessId);

export const meta = {
  verify,
  handshake,
  parse,
  classify,
  classifyDetail,
  owns,
  send,
  markRead,
  listTemplates,
  downloadMedia,
  uploadMedia,
  checkConnection,
  capabilities: { freeForm: true, interactive: true, markRead: true, reactions: true, templateSync: true, signedWebhooks: 'always' as const },
};
