import { errors } from '@strapi/utils';
import type { ActionKey } from '../constants';
import { actionId } from '../constants';

/**
 * `admin::hasPermissions` asks for every listed action; a few read-only helpers serve several pages
 * (the host's schema is read by the settings and CRM events pages), so this one asks for any of them.
 */
const hasAnyPermission = (policyContext: any, config: { actions: ActionKey[] }) => {
  const ability = policyContext.state?.userAbility;
  return Boolean(ability) && config.actions.some((key) => ability.can(actionId(key)));
};

/** Deeper than any body the admin panel sends; past it nothing is looked at. */
const MAX_DEPTH = 32;

/** Where a NUL character sits in a query or a body (a key or a text), or null. */
const nulAt = (value: unknown, path: string[] = []): string[] | null => {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object' || path.length > MAX_DEPTH) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = key.includes('\u0000') ? [...path, key] : nulAt(inner, [...path, key]);
    if (found) return found;
  }
  return null;
};

/** PostgreSQL refuses NUL in text, so a NUL anywhere in an admin request is a 400 naming where, not a database error. */
const noNul = (policyContext: any) => {
  const path = nulAt(policyContext.request?.query) ?? nulAt(policyContext.request?.body);
  if (!path) return true;
  const shown = path.map((p) => p.replace(/\u0000/g, '\\0'));
  const message = `${shown.join('.') || 'the request'} must not hold a NUL character`;
  throw new errors.ValidationError(message, { errors: [{ path: shown, message, name: 'ValidationError', value: null }] });
};

export default { 'has-any-permission': hasAnyPermission, 'no-nul': noNul };
