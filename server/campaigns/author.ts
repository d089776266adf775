/**
 * A scheduled or recurring occurrence runs with its author's rights as they are when it runs, not
 * as they were at launch: a removed permission, a blocked or deleted account, a team change or a
 * lost Content Manager field stops it, and the author's current row filters replace the stored ones.
 */
import type { Core } from '@strapi/strapi';
import { actionId } from '../../contracts/permissions';
import { contentManagerScope } from '../content-manager-scope';
import { getService } from '../utils';
import { audienceIssues } from './audience';

type Row = Record<string, any>;

export type AuthorCheck = { refused: string } | { scopeFilters: Record<string, unknown> | null };

export const checkAuthor = async (strapi: Core.Strapi, campaign: Row): Promise<AuthorCheck> => {
  if (!campaign.authorId) return { refused: 'the campaign has no author whose rights it could run with; an admin must launch it again' };
  const user = await strapi.db.query('admin::user').findOne({ where: { id: campaign.authorId }, populate: ['roles'] });
  const who = user ? [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email : `admin user ${campaign.authorId}`;
  if (!user) return { refused: `its author (admin user ${campaign.authorId}) no longer exists` };
  if (user.isActive !== true || user.blocked === true) return { refused: `its author ${who} is no longer active` };
  const ability = await strapi.service('admin::permission').engine.generateUserAbility(user);
  if (!ability.can(actionId('campaignsLaunch'))) return { refused: `its author ${who} no longer has the permission to launch campaigns` };
  if (!(await getService('scope', { strapi }).canSeeNumber(user, campaign.numberId))) return { refused: `its author ${who} no longer sees the campaign's number (team)` };
  const scope = contentManagerScope(strapi, ability);
  const denied = await audienceIssues(strapi, campaign.audience ?? {}, campaign.parameters ?? [], scope);
  if (denied.length) return { refused: `its author ${who} can no longer read what it sends: ${denied.map((i) => i.message).join('; ')}` };
  const uid = campaign.audience?.contentType;
  return { scopeFilters: uid ? (await scope(uid))?.filters ?? null : null };
};
