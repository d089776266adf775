/** The CRM fields a `set-field` bot may write: plain values of the identity sources' types, never private or secret ones. */
import type { Core } from '@strapi/strapi';
import type { BotResponse } from '../../contracts/bots';
import type { IdentitySource } from '../../contracts/settings';
import type { NumberRow } from '../number-rows';
import { getService } from '../utils';
import { requestOf } from './render';
import { fail } from './validate';

const SCALAR: Record<string, 'string' | 'number' | 'boolean'> = {
  string: 'string', text: 'string', email: 'string', enumeration: 'string', date: 'string', datetime: 'string',
  integer: 'number', biginteger: 'number', float: 'number', decimal: 'number', boolean: 'boolean',
};
/** Names that hold credentials in the host's types even when not marked private. */
export const SECRET = /password|secret|token|api_?key|credential|hash|salt/i;

/** Whether `field` is an identity source's phone or opt-out field on `uid`: consent and matching own those, never a bot. */
export const protectedField = (sources: IdentitySource[], uid: string, field: string) =>
  sources.some((s) => s.uid === uid && (s.phoneField === field || s.optOutField === field));

/** Whether `field` of `uid` is a plain, public, non-secret attribute that accepts `value`, and no source's phone or opt-out field. */
export const writableField = (strapi: Core.Strapi, sources: IdentitySource[], uid: string, field: string, value: unknown) => {
  if (protectedField(sources, uid, field)) return false;
  const attribute = (strapi.contentTypes as Record<string, any>)[uid]?.attributes?.[field];
  const kind = attribute ? SCALAR[attribute.type] : undefined;
  if (!kind || attribute.private || attribute.writable === false || SECRET.test(field)) return false;
  if (value === null) return !attribute.required;
  if (typeof value !== kind) return false;
  return attribute.type !== 'enumeration' || (attribute.enum as string[]).includes(value as string);
};

/** A response and every reply of its menu items, each with its path. */
export const responsesIn = (r: BotResponse, path: string[] = ['response']): { path: string[]; response: BotResponse }[] => {
  if (r.type !== 'menu') return [{ path, response: r }];
  const walk = (items: any[], p: string[]): { path: string[]; response: BotResponse }[] =>
    items.flatMap((item, i) => (item.items ? walk(item.items, [...p, String(i), 'items']) : item.reply ? responsesIn(item.reply, [...p, String(i), 'reply']) : []));
  return walk(r.items, [...path, 'items']);
};

/** On save: an `assign` names a person who can see the number's conversations (as the inbox's assign does). */
export const checkAssignees = async (strapi: Core.Strapi, user: any, numberId: number, response: BotResponse | undefined) => {
  if (!response) return;
  for (const { path, response: r } of responsesIn(response)) {
    if (r.type !== 'assign' || r.userId === undefined) continue;
    if (!(await getService('inbox', { strapi }).assignees(user, numberId)).some((a) => a.id === r.userId)) {
      fail([...path, 'userId'], "is not an active admin user who can read this number's conversations");
    }
  }
};

/**
 * On save: a `set-field` must name a field one of the identity sources' types can take this value in,
 * and the saving user must be allowed to update that field of every such type in the Content Manager
 * (the bot later writes it as the plugin, on whichever of those records the conversation is linked to).
 */
export const checkHostFields = async (strapi: Core.Strapi, response: BotResponse | undefined, userAbility: unknown) => {
  if (!response) return;
  const { identitySources } = await getService('settings', { strapi }).get();
  for (const { path, response: r } of responsesIn(response)) {
    if (r.type !== 'set-field') continue;
    const owner = identitySources.find((s) => protectedField(identitySources, s.uid, r.field));
    if (owner) fail([...path, 'field'], `'${r.field}' is the phone or opt-out field of ${owner.uid}: only the customer's consent and matching change it`);
    const types = [...new Set(identitySources.filter((s) => writableField(strapi, identitySources, s.uid, r.field, r.value)).map((s) => s.uid))];
    if (!types.length) {
      fail([...path, 'field'], `is not a public, writable field of a CRM type customers are matched to (${identitySources.map((s) => s.uid).join(', ') || 'none set'}) that accepts this value`);
    }
    for (const uid of types) {
      const checker = userAbility ? strapi.plugin('content-manager').service('permission-checker').create({ userAbility, model: uid }) : null;
      if (!checker || checker.cannot.update(null, r.field)) fail([...path, 'field'], `'${r.field}' is a field of ${uid} you may not update in the Content Manager`);
    }
  }
};

/** On save: a number whose provider sends templates only (AiSensy) takes only responses that send a template or nothing. */
export const checkFreeForm = (strapi: Core.Strapi, number: NumberRow, response: BotResponse | undefined) => {
  if (!response || getService('provider-calls', { strapi }).for(number).capabilities.freeForm) return;
  for (const { path, response: r } of [{ path: ['response'], response }, ...(response.type === 'menu' ? responsesIn(response) : [])]) {
    const request = requestOf(r, false);
    if (request && request.type !== 'template') fail([...path, 'type'], `sends a ${request.type} message, but ${number.provider} numbers send templates only (use a template response, or one without text)`);
  }
};
