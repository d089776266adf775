import type { Core } from '@strapi/strapi';
import type { HostContentType, HostField } from '../../contracts/host';
import type { ReadScope } from '../content-manager-scope';

/** The host's own collection types (`api::*`), described for the admin pages that bind to them. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * `limits`: the settings' notificationFields (type → the field paths rules may bind). `scope`: the
   * caller's Content Manager read scope; only the types and fields they may read are listed, so the
   * rule editor never offers what the server refuses.
   */
  async contentTypes(limits: Record<string, string[]> = {}, scope?: ReadScope): Promise<HostContentType[]> {
    const types = Object.values(strapi.contentTypes as Record<string, any>).filter((ct) => ct.uid.startsWith('api::') && ct.kind === 'collectionType');
    const listed: HostContentType[] = [];
    for (const ct of types) {
      const read = scope ? await scope(ct.uid) : { canReadField: () => true };
      if (!read) continue;
      listed.push({
        uid: ct.uid,
        displayName: ct.info?.displayName ?? ct.info?.singularName ?? ct.uid,
        singularName: ct.info?.singularName ?? ct.modelName,
        draftAndPublish: Boolean(ct.options?.draftAndPublish),
        fields: Object.entries(ct.attributes as Record<string, any>)
          .filter(([name, a]) => !a.private && a.type !== 'password' && read.canReadField(name))
          .map(([name, a]): HostField => ({
            name,
            type: a.type,
            ...(a.enum ? { enum: a.enum } : {}),
            ...(a.type === 'relation' ? { target: a.target, relation: a.relation } : {}),
            ...(a.required ? { required: true } : {}),
          })),
        notificationFields: limits[ct.uid]?.length ? limits[ct.uid] : null,
      });
    }
    return listed.sort((a, b) => a.displayName.localeCompare(b.displayName));
  },
});
