import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../utils';

/**
 * AES-256-GCM for provider credentials. The stored form is `v2:<salt>:<iv>:<tag>:<ciphertext>`
 * (base64url), the key derived from the configured passphrase with scrypt and the salt written in
 * the value (random, drawn once per process so scrypt runs once, not on every save). Values written as `v1:<keyId>:<iv>:<tag>:<ciphertext>` (key = SHA-256 of the
 * passphrase) are still read; saving a number again writes v2. Any key in `previousEncryptionKeys`
 * still decrypts, so a key can be rotated.
 */
const VERSION = 'v2';
const TAG_BYTES = 16;
const IV_BYTES = 12;
const SALT_BYTES = 16;
/** scrypt cost: ~80 ms and 32 MiB once per salt and key, then cached for the process. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const CACHE_LIMIT = 1000;
const PROCESS_SALT = crypto.randomBytes(SALT_BYTES);

const legacyKey = (secret: string) => crypto.createHash('sha256').update(secret, 'utf8').digest();
const legacyKeyId = (key: Buffer) => crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Derived keys by passphrase and salt: credentials are read on every send, scrypt must run once. */
const derived = new Map<string, Buffer>();
const deriveKey = (secret: string, salt: Buffer): Buffer => {
  const id = `${legacyKey(secret).toString("hex")}:${salt.toString("base64url")}`;
  let key = derived.get(id);
  if (!key) {
    key = crypto.scryptSync(secret, salt, 32, SCRYPT);
    if (derived.size >= CACHE_LIMIT) derived.delete(derived.keys().next().value as string);
    derived.set(id, key);
  }
  return key;
};

const open = (key: Buffer, iv: Buffer, tag: Buffer, body: Buffer): string | null => {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
};

export class MissingEncryptionKeyError extends errors.ApplicationError {
  constructor() {
    super(
      'Credentials cannot be saved: no encryption key is configured. Set WHATSAPP_ENCRYPTION_KEY ' +
        '(or `encryptionKey` in the whatsapp plugin config) and restart Strapi.'
    );
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const secrets = () => {
    const current = getConfig(strapi, 'encryptionKey') || null;
    const previous = (getConfig(strapi, 'previousEncryptionKeys') ?? []).filter((k): k is string => typeof k === 'string' && k.length > 0);
    return { current, all: current ? [current, ...previous] : previous };
  };

  /** The plain text and the passphrase that opened it, or null. */
  const unseal = (stored: string, candidates: string[]): { plain: string; secret: string } | null => {
    if (typeof stored !== 'string') return null;
    const [version, saltOrKid, iv, tag, body, ...rest] = stored.split(':');
    if (body === undefined || rest.length) return null;
    const [ivBytes, tagBytes, bodyBytes] = [iv, tag, body].map((part) => Buffer.from(part, 'base64url'));
    if (version === VERSION) {
      const salt = Buffer.from(saltOrKid, 'base64url');
      if (salt.length !== SALT_BYTES) return null;
      for (const secret of candidates) {
        const plain = open(deriveKey(secret, salt), ivBytes, tagBytes, bodyBytes);
        if (plain !== null) return { plain, secret };
      }
      return null;
    }
    if (version === 'v1') {
      const secret = candidates.find((s) => legacyKeyId(legacyKey(s)) === saltOrKid);
      const plain = secret ? open(legacyKey(secret), ivBytes, tagBytes, bodyBytes) : null;
      return plain === null ? null : { plain, secret: secret as string };
    }
    return null;
  };

  return {
    isConfigured() {
      return secrets().current !== null;
    },

    encrypt(plain: string): string {
      const secret = secrets().current;
      if (!secret) throw new MissingEncryptionKeyError();
      const salt = PROCESS_SALT;
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv, { authTagLength: TAG_BYTES });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, ...[salt, iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join(':');
    },

    /** Returns null when no configured key opens the value (wrong key, tampered data, a short tag). */
    decrypt(stored: string): string | null {
      return unseal(stored, secrets().all)?.plain ?? null;
    },

    /** True when the value should be written again: an older format, or a key other than the current one. */
    needsRotation(stored: string): boolean {
      const { current } = secrets();
      if (!current) return false;
      return !stored.startsWith(`${VERSION}:`) || unseal(stored, [current]) === null;
    },
  };
};
