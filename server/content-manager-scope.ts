import type { Core } from '@strapi/strapi';

const READ = 'plugin::content-manager.explorer.read';

/**
 * What a caller may read of a content type: which fields, and which records (null: nothing).
 * `everyRecord`: no role condition or locale keeps any record from them (a locale list naming every
 * locale there is counts as none).
 */
export type ReadScope = (uid: string) => Promise<{ canReadField: (field: string) => boolean; filters?: Record<string, unknown>; everyRecord: boolean } | null>;

/** i18n turns a permission's locales into `{ locale: { $in: [...] } }`: whole when it names every locale. */
const everyLocale = (condition: any, codes: string[]) =>
  condition && typeof condition === 'object' && Object.keys(condition).length === 1 && Array.isArray(condition.locale?.$in) && codes.every((c) => condition.locale.$in.includes(c));

/** Whether read filters (one `$or` branch per permission, its conditions under `$and`) let every record through. */
const coversEveryRecord = async (strapi: Core.Strapi, filters: any) => {
  const branches: any[] = Array.isArray(filters?.$or) ? filters.$or : [];
  if (!branches.some((b) => Array.isArray(b?.$and) && b.$and.every((c: any) => 'locale' in (c ?? {})))) return false;
  const codes = ((await strapi.plugin('i18n')?.service('locales').find()) ?? []).map((l: { code: string }) => l.code);
  return branches.some((b) => Array.isArray(b?.$and) && b.$and.every((c: any) => everyLocale(c, codes)));
};

type ReadRule = { inverted?: boolean; fields?: string | string[]; conditions?: unknown; matchesField?: (field: string) => boolean };

/** The caller's rules that let them read records of `uid` (one per role permission, each with its own fields and conditions). */
const readRules = (userAbility: unknown, uid: string): ReadRule[] =>
  (((userAbility as { rulesFor?: (action: string, subject: string) => ReadRule[] }).rulesFor?.(READ, uid) ?? []) as ReadRule[]).filter((rule) => !rule.inverted);

/** A rule without `fields` grants every field. */
const grantsField = (rule: ReadRule, field: string) =>
  typeof rule.matchesField === 'function' ? rule.matchesField(field) : !rule.fields || ([] as string[]).concat(rule.fields).includes(field);

const hasConditions = (rule: ReadRule) => !!rule.conditions && Object.keys(rule.conditions as object).length > 0;

/**
 * The Content Manager's own permission checker, so what the plugin shows of a host record is what
 * the caller could see in the Content Manager: the type, the fields and, through role conditions
 * such as "is creator", the records.
 * A field is readable only when a rule without conditions grants it or every rule that lets the caller read
 * records does: asked without a record, CASL ignores conditions, so one role's field on its own records would
 * otherwise be read on the records another role lets through (the record filters join the rules with `$or`).
 */
export const contentManagerScope = (strapi: Core.Strapi, userAbility: unknown): ReadScope => async (uid) => {
  if (!userAbility) return null;
  const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility, model: uid });
  if (checker.cannot.read()) return null;
  const { filters } = await checker.sanitizedQuery.read({});
  const some = filters && Object.keys(filters).length ? filters : undefined;
  const granting = readRules(userAbility, uid);
  return {
    canReadField: (field: string) =>
      !checker.cannot.read(null, field) && (granting.some((rule) => !hasConditions(rule) && grantsField(rule, field)) || granting.every((rule) => grantsField(rule, field))),
    filters: some,
    everyRecord: !some || (await coversEveryRecord(strapi, some)),
  };
};

/** Where a record opens in the Content Manager, as a path of the admin panel's router. */
export const recordAdminPath = (uid: string, documentId: string) => `/content-manager/collection-types/${uid}/${documentId}`;

/** An admin's rights as they are now (roles read again); null for an account removed, blocked or not active. */
export const activeAbility = async (strapi: Core.Strapi, userId: number | null | undefined) => {
  const user = userId ? await strapi.db.query('admin::user').findOne({ where: { id: userId }, populate: ['roles'] }) : null;
  if (!user || user.isActive !== true || user.blocked === true) return null;
  return { user, ability: await strapi.service('admin::permission').engine.generateUserAbility(user) };
};
