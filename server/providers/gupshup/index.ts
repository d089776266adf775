import { classify, classifyDetail } from './classify';
import { parse } from './parse';
import { handshake, verify } from './verify';

import type { ProviderNumber } from '../types';

const owns = (number: ProviderNumber, businessId: string) => [number.appName, number.appId].includes(businessId);

export const gupshup = { verify, handshake, parse, classify, classifyDetail, owns };
