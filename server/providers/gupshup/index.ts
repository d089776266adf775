import { classify } from './classify';
import { parse } from './parse';
import { handshake, verify } from './verify';

export const gupshup = { verify, handshake, parse, classify };
