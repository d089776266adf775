/** A number as stored, and what writing one needs: its provider id, its unique-violation answer, and a short-lived lookup cache. */
import crypto from 'node:crypto';
import { errors } from '@strapi/utils';
import type { CredentialField, Provider } from '../contracts/numbers';
import type { ProviderNumber } from './providers/types';
import { briefCache } from './brief-cache';

/** A number row as stored (credentials still encrypted): the provider's view of it plus the plugin's own columns. */
export interface NumberRow extends Omit<ProviderNumber, 'credentials'> {
  documentId: string;
  label: string;
  providerPhoneId: string | null;
  credentials: string | null;
  webhookKey: string | null;
  active: boolean;
  teamRoleIds: number[] | null;
  throughputMps: number | null;
  messagingTier?: string | null;
  health: string | null;
  needsReauth: boolean;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Credentials = Partial<Record<CredentialField, string>>;

export const newWebhookKey = () => crypto.randomBytes(24).toString('base64url');

/** The id a provider's webhooks name the number by; unique per provider among live numbers. */
export const providerPhoneIdOf = (n: Pick<NumberRow, 'provider' | 'phoneNumberId' | 'appName' | 'phone'>) => {
  if (n.provider === 'meta') return n.phoneNumberId;
  if (n.provider === 'gupshup') return n.appName;
  return n.phone.replace(/^\+/, '');
};

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'ER_DUP_ENTRY' || /UNIQUE constraint/i.test(e?.message ?? '');
};

const duplicateError = (provider: Provider) => {
  const path = provider === 'meta' ? 'phoneNumberId' : provider === 'gupshup' ? 'appName' : 'phone';
  const message = `${path} is already connected to another number`;
  return new errors.ValidationError(message, { errors: [{ path: [path], message, name: 'ValidationError', value: null }] });
};

/** Runs a number write; the unique index on the provider's id answers as a validation error naming the field. */
export const saveNumber = async (provider: Provider, write: () => Promise<NumberRow>) => {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateError(provider);
    throw error;
  }
};

/** Number lookups on the hot paths (webhooks, the inbound worker); every write of a number clears them. */
export const rowCache = <K>() => briefCache<K, NumberRow | null>();
