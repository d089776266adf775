import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Team } from '../../contracts/numbers';
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
  const roleIdsOf = (user: ScopedUser) => new Set((user.roles ?? []).map((r) => r.id));

  /** Number rows (id, teamRoleIds) a non-super-admin sees. */
  const visibleRows = async (user: ScopedUser, where: Record<string, unknown> = {}) => {
    const roleIds = roleIdsOf(user);
    const numbers = await strapi.db.query(UID.number).findMany({ where, select: ['id', 'teamRoleIds'] });
    return numbers.filter((n: any) => !n.teamRoleIds?.length || n.teamRoleIds.some((id: number) => roleIds.has(id))) as { id: number; teamRoleIds: number[] | null }[];
  };

  const visibleNumberIds = async (user: ScopedUser): Promise<number[] | 'all'> => {
    if (isSuperAdmin(user)) return 'all';
    return (await visibleRows(user)).map((n) => n.id);
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

    /**
     * The admin roles shown as teams: every role to super admins; to others the roles they are in
     * and the teams of the numbers they see (so those numbers' team names show).
     * `assignable`: one they may give a number.
     */
    async teams(user: ScopedUser): Promise<Team[]> {
      const all = isSuperAdmin(user);
      const own = roleIdsOf(user);
      const shown = new Set(own);
      if (!all) for (const n of await visibleRows(user, { deletedAt: null })) for (const id of n.teamRoleIds ?? []) shown.add(id);
      const roles = await strapi.db.query('admin::role').findMany({ ...(all ? {} : { where: { id: { $in: [...shown] } } }), select: ['id', 'name'], orderBy: { name: 'asc' } });
      return roles.map((r: { id: number; name: string }) => ({ id: r.id, name: r.name, assignable: all || own.has(r.id) }));
    },

    /**
     * A team manager gives a number only teams they are in, or keeps those it has (`current`), so
     * they cannot make a number another team's; super admins assign any. A 400 naming `teamRoleIds`.
     */
    assertAssignable(user: ScopedUser, teamRoleIds: number[] | undefined, current: number[] = []) {
      if (!teamRoleIds?.length || isSuperAdmin(user)) return;
      const own = roleIdsOf(user);
      const foreign = teamRoleIds.filter((id) => !own.has(id) && !current.includes(id));
      if (!foreign.length) return;
      const message = `teamRoleIds: you may assign only teams (admin roles) you are in; not ${foreign.join(', ')}`;
      throw new errors.ValidationError(message, { errors: [{ path: ['teamRoleIds'], message, name: 'ValidationError', value: null }] });
    },

    /** Throws the same 404 as for an id that does not exist, so other teams' numbers are not revealed. */
    async assertNumberVisible(user: ScopedUser, numberId: number | null | undefined, message = 'No WhatsApp number with this id') {
      if (!(await canSeeNumber(user, numberId))) throw new errors.NotFoundError(message);
    },
  };
};
