import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { SUPER_ADMIN_ROLE, UID } from '../constants';

/** Who asks: an admin user with their roles (as `ctx.state.user` carries them). */
export interface ScopedUser {
  id: number;
  roles?: { id: number; code?: string }[];
}

/**
 * Team scoping, the one place that decides which numbers an admin user sees: numbers whose team
 * (`teamRoleIds`, admin role ids) includes one of the user's roles, and every number without a
 * team; super admins see all. Conversations, logs, templates, numbers, CRM-event rules and the live
 * stream all ask here. Rows tied to no number (a webhook to an unknown key, a call with no number)
 * are for super admins only: nothing says which team they belong to.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isSuperAdmin = (user: ScopedUser) => Boolean(user.roles?.some((r) => r.code === SUPER_ADMIN_ROLE));

  const visibleNumberIds = async (user: ScopedUser): Promise<number[] | 'all'> => {
    if (isSuperAdmin(user)) return 'all';
    const roleIds = new Set((user.roles ?? []).map((r) => r.id));
    const numbers = await strapi.db.query(UID.number).findMany({ select: ['id', 'teamRoleIds'] });
    return numbers.filter((n: any) => !n.teamRoleIds?.length || n.teamRoleIds.some((id: number) => roleIds.has(id))).map((n: any) => n.id);
  };

  const canSeeNumber = async (user: ScopedUser, numberId: number | null | undefined) => {
    const allowed = await visibleNumberIds(user);
    if (allowed === 'all') return true;
    return typeof numberId === 'number' && allowed.includes(numberId);
  };

  return {
    isSuperAdmin,
    visibleNumberIds,
    canSeeNumber,

    /** A `where` for rows carrying a number id in `field`: the caller's numbers only (nothing added for super admins). */
    async numberWhere(user: ScopedUser, field = 'numberId'): Promise<Record<string, unknown>> {
      const allowed = await visibleNumberIds(user);
      return allowed === 'all' ? {} : { [field]: { $in: allowed } };
    },

    /** Throws the same 404 as for an id that does not exist, so other teams' numbers are not revealed. */
    async assertNumberVisible(user: ScopedUser, numberId: number | null | undefined, message = 'No WhatsApp number with this id') {
      if (!(await canSeeNumber(user, numberId))) throw new errors.NotFoundError(message);
    },
  };
};
