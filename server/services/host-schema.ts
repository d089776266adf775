import type { Core } from '@strapi/strapi';
import type { HostContentType, HostField } from '../../contracts/host';

/** The host's own collection types (`api::*`), described for the admin pages that bind to them. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** `limits`: the settings' notificationFields (type → the field paths rules may bind). */
  contentTypes(limits: Record<string, string[]> = {}): HostContentType[] {
    return Object.values(strapi.contentTypes as Record<string, any>)
      .filter((ct) => ct.uid.startsWith('api::') && ct.kind === 'collectionType')
      .map((ct) => ({
        uid: ct.uid,
        displayName: ct.info?.displayName ?? ct.info?.singularName ?? ct.uid,
        singularName: ct.info?.singularName ?? ct.modelName,
        draftAndPublish: Boolean(ct.options?.draftAndPublish),
        fields: Object.entries(ct.attributes as Record<string, any>)
          .filter(([, a]) => !a.private && a.type !== 'password')
          .map(([name, a]): HostField => ({
            name,
            type: a.type,
            ...(a.enum ? { enum: a.enum } : {}),
            ...(a.type === 'relation' ? { target: a.target, relation: a.relation } : {}),
            ...(a.required ? { required: true } : {}),
          })),
        notificationFields: limits[ct.uid]?.length ? limits[ct.uid] : null,
      }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  },
});
