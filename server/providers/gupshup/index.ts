import { checkConnection, downloadMedia, listTemplates, send } from './api';
import { classify, classifyDetail } from './classify';
import { parse } from './parse';
import { handshake, verify } from './verify';

import { UnsupportedByProviderError, type ProviderNumber } from '../types';

const owns = (number: ProviderNumber, businessId: string) => [number.appName, number.appId].includes(businessId);


const uploadMedia = async (): Promise<never> => {
  throw new UnsupportedByProviderError('gupshup', 'host uploaded media; send media by public link');
};

export const gupshup = {
  verify,
  handshake,
  parse,
  classify,
  classifyDetail,
  owns,
  send,
  listTemplates,
  downloadMedia,
  uploadMedia,
  checkConnection,
  capabilities: { freeForm: true, markRead: false, reactions: false, templateSync: true, signedWebhooks: 'never' as const },
};
