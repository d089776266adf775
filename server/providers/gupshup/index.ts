import { downloadByLink, unsupported } from '../http';
import type { ProviderNumber } from '../types';
import { checkConnection, listTemplates, send } from './api';
import { classify, classifyDetail } from './classify';
import { parse } from './parse';
import { handshake, verify } from './verify';

const owns = (number: ProviderNumber, businessId: string) => [number.appName, number.appId].includes(businessId);

export const gupshup = {
  verify,
  handshake,
  parse,
  classify,
  classifyDetail,
  owns,
  send,
  markRead: unsupported('gupshup', 'mark messages as read'),
  listTemplates,
  // Gupshup hands inbound media as a URL it hosts, and sends media only by public link.
  downloadMedia: downloadByLink,
  uploadMedia: unsupported('gupshup', 'host uploaded media; send media by public link'),
  checkConnection,
  capabilities: { freeForm: true, interactive: true, markRead: false, reactions: false, templateSync: true, signedWebhooks: 'never' as const },
};
