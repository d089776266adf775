import type { Core } from '@strapi/strapi';

/** What a caller may read of a content type: which fields, and which records (null: nothing). */
export type ReadScope = (uid: string) => Promise<{ canReadField: (field: string) => boolean; filters?: Record<string, unknown> } | null>;

/**
 * The Content Manager's own permission checker, so what the plugin shows of a host record is what
 * the caller could see in the Content Manager: the type, the fields and, through role conditions
 * such as "is creator", the records.
 */
export const contentManagerScope = (strapi: Core.Strapi, userAbility: unknown): ReadScope => async (uid) => {
  if (!userAbility) return null;
  const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility, model: uid });
  if (checker.cannot.read()) return null;
  const { filters } = await checker.sanitizedQuery.read({});
  return { canReadField: (field: string) => !checker.cannot.read(null, field), filters: filters && Object.keys(filters).length ? filters : undefined };
};

/** Where a record opens in the Content Manager, as a path of the admin panel's router. */
export const recordAdminPath = (uid: string, documentId: string) => `/content-manager/collection-types/${uid}/${documentId}`;
