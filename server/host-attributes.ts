/** One way to look up a host type's field by a name a caller sent, so no check can find what every object inherits. */
import type { Core } from '@strapi/strapi';

/** A content type's attributes, or undefined for a uid the app does not have. */
export const attributesOf = (strapi: Core.Strapi, uid: string): Record<string, any> | undefined =>
  (strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, any> } | undefined)?.attributes;

/** The attribute `name` of `uid`, never a member of `Object.prototype` (`constructor`, `toString`…). */
export const ownAttribute = (strapi: Core.Strapi, uid: string, name: string | null | undefined): Record<string, any> | undefined => {
  const attributes = attributesOf(strapi, uid);
  return name && attributes && Object.hasOwn(attributes, name) ? attributes[name] : undefined;
};
