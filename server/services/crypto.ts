import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../utils';

/**
 * AES-256-GCM for provider credentials. The stored form is `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64url); the key id lets an old key in `previousEncryptionKeys` still decrypt after rotation.
 */
const VERSION = 'v1';

const deriveKey = (secret: string) => crypto.createHash('sha256').update(secret, 'utf8').digest();
const keyId = (key: Buffer) => crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);

export class MissingEncryptionKeyError extends errors.ApplicationError {
  constructor() {
    super(
      'Credentials cannot be saved: no encryption key is configured. Set WHATSAPP_ENCRYPTION_KEY ' +
        '(or `encryptionKey` in the whatsapp plugin config) and restart Strapi.'
    );
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const keys = () => {
    const current = getConfig(strapi, 'encryptionKey');
    const previous = getConfig(strapi, 'previousEncryptionKeys') ?? [];
    return {
      current: current ? deriveKey(current) : null,
      all: [current, ...previous].filter((k): k is string => Boolean(k)).map(deriveKey),
    };
  };

  return {
    isConfigured() {
      return keys().current !== null;
    },

    encrypt(plain: string): string {
      const key = keys().current;
      if (!key) throw new MissingEncryptionKeyError();
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return [VERSION, keyId(key), ...parts].join(':');
    },

    /** Returns null when no configured key opens the value (wrong key, tampered data). */
    decrypt(stored: string): string | null {
      const [version, kid, iv, tag, body] = stored.split(':');
      if (version !== VERSION || !body) return null;
      const key = keys().all.find((k) => keyId(k) === kid);
      if (!key) return null;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },

    /** True when the value was written with a key other than the current one. */
    needsRotation(stored: string): boolean {
      const key = keys().current;
      return Boolean(key) && stored.split(':')[1] !== keyId(key as Buffer);
    },
  };
};
