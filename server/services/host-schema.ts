import type { Core } from '@strapi/strapi';
import type { HostContentType, HostField } from '../../contracts/host';
import type { IdentitySource, SuggestedSource } from '../../contracts/settings';
import type { ReadScope } from '../content-manager-scope';

/** A field that may hold a phone: its name says so and it holds text. */
const PHONE_NAME = /phone|mobile|whatsapp|tel/i;
const TEXT_TYPES = new Set(['string', 'text']);
const NAME_FIELDS = ['name', 'fullName', 'fullname', 'displayName', 'title', 'firstName', 'firstname'];

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

  /**
   * The app's collection types with a phone-like field that are not identity sources yet, each with
   * the mapping the General page suggests (its kind and label from the type's own names).
   */
  suggestedSources(existing: IdentitySource[] = []): SuggestedSource[] {
    const taken = new Set(existing.map((s) => s.uid));
    const suggestions: SuggestedSource[] = [];
    for (const ct of Object.values(strapi.contentTypes as Record<string, any>)) {
      if (!ct.uid.startsWith('api::') || ct.kind !== 'collectionType' || taken.has(ct.uid)) continue;
      const fields = Object.entries(ct.attributes as Record<string, any>).filter(([, a]) => !a.private);
      const phone = fields.find(([name, a]) => PHONE_NAME.test(name) && TEXT_TYPES.has(a.type));
      if (!phone) continue;
      const texts = fields.filter(([, a]) => TEXT_TYPES.has(a.type)).map(([name]) => name);
      const displayName: string = ct.info?.displayName ?? ct.info?.singularName ?? ct.uid;
      suggestions.push({
        uid: ct.uid,
        displayName,
        kind: String(ct.info?.singularName ?? ct.modelName).toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40),
        label: displayName,
        phoneField: phone[0],
        nameField: NAME_FIELDS.find((n) => texts.includes(n)) ?? null,
        booleanFields: fields.filter(([, a]) => a.type === 'boolean').map(([name]) => name),
      });
    }
    return suggestions.sort((a, b) => a.displayName.localeCompare(b.displayName));
  },
});
