import type { HandshakeResult, VerifyResult } from '../types';

/**
 * Gupshup signs nothing; the long random key in the callback URL is the only credential, and the
 * route has already matched it to this number before `verify` runs.
 */
export const verify = (): VerifyResult => ({ ok: true });

/** Gupshup checks a callback URL with a plain request and wants a 2xx; there is no challenge. */
export const handshake = (): HandshakeResult => ({ status: 200, body: '' });
