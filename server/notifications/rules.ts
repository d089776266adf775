/** The notification-rules service: rule CRUD and validation, test sends and firing traces. */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Firing, NotificationRule, NotificationRuleInput } from '../../contracts/notifications';
import { UID } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { toId } from '../ids';
import { conditionHolds, notMatchedTrace, ruleData, ruleOut, type Row } from './logic';
import { fire } from './firings';
import { memoScope, pathIssues } from './paths';
import { loadRecord } from './records';
import { firingOut } from './trace';
import { ruleIssues } from './validation';

const RULES_CACHE_MS = 5_000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  let cache: { rules: Row[]; until: number } | null = null;

  const service = {
    /** The active rules, as the Document Service middleware reads them on every write (cached briefly; edits here clear it). */
    async active(): Promise<Row[]> {
      if (cache && cache.until > Date.now()) return cache.rules;
      const rules = await q(UID.notificationRule).findMany({ where: { active: true } });
      cache = { rules, until: Date.now() + RULES_CACHE_MS };
      return rules;
    },

    async list(): Promise<NotificationRule[]> {
      return (await q(UID.notificationRule).findMany({ orderBy: { id: 'asc' } })).map(ruleOut);
    },

    async get(id: unknown) {
      const n = toId(id);
      const rule = n ? await q(UID.notificationRule).findOne({ where: { id: n } }) : null;
      if (!rule) throw new errors.NotFoundError('No notification rule with this id');
      return ruleOut(rule);
    },

    /**
     * Every problem with a rule at once, each under the form field it belongs to, so the editor
     * can show them all. The template and its parameters are checked when they are set (`template`
     * false: an update that leaves them alone, e.g. switching off a rule whose template was paused).
     */
    async check(input: Partial<NotificationRuleInput>, options: { template?: boolean; scope?: ReadScope } = {}) {
      const issues = await ruleIssues(strapi, input, options);
      if (issues.length) {
        throw new errors.ValidationError(issues.length === 1 ? issues[0].message : `${issues.length} errors occurred`, {
          errors: issues.map((i) => ({ ...i, name: 'ValidationError', value: null })),
        });
      }
    },

    /** `scope`: the author's Content Manager read scope; every field the rule reads must be theirs to read. */
    async create(input: NotificationRuleInput, scope?: ReadScope) {
      await service.check(input, { scope });
      cache = null;
      return ruleOut(await q(UID.notificationRule).create({ data: { active: true, ...ruleData(input) } }));
    },

    async update(id: unknown, input: Partial<NotificationRuleInput>, scope?: ReadScope) {
      const rule = await service.get(id);
      // Switching a rule off must work even when what it points at (number, field, template) is gone.
      const switchingOff = input.active === false && Object.keys(input).every((key) => key === 'active' || key === 'name');
      if (!switchingOff) await service.check({ ...rule, ...input }, { template: Boolean(input.template || input.parameters), scope });
      cache = null;
      return ruleOut(await q(UID.notificationRule).update({ where: { id: rule.id }, data: ruleData(input) }));
    },

    async remove(id: unknown) {
      const rule = await service.get(id);
      cache = null;
      await q(UID.notificationRule).delete({ where: { id: rule.id } });
      return rule;
    },

    /**
     * Runs a rule against a chosen record now (condition included) and answers with the trace. The
     * caller must be able to read every field the rule reads, and the record, in the Content Manager.
     */
    async testSend(id: unknown, documentId: string, scope: ReadScope): Promise<Firing> {
      const rule = await service.get(id);
      const read = memoScope(scope);
      // The record itself is checked against the caller's conditions below; related records are not, so those types must be wholly readable.
      const denied = (await pathIssues(strapi, rule, read, { recordChecked: true })).filter((i) => i.kind === 'permission');
      if (denied.length) {
        // A PolicyError is the 403 whose message Strapi passes on (a plain ForbiddenError becomes a bare "Forbidden").
        throw new errors.PolicyError(denied.map((i) => i.message).join('; '), { errors: denied.map((i) => ({ path: [i.where], message: i.message, name: 'PolicyError' })) });
      }
      const visible = await read(rule.contentType);
      const filters = visible?.filters ? { $and: [{ documentId }, visible.filters] } : { documentId };
      const found = visible ? await strapi.documents(rule.contentType as any).findFirst({ filters: filters as any, fields: ['documentId'] as any }) : null;
      const current = found ? await loadRecord(strapi, rule.contentType, documentId, rule) : null;
      if (!current) throw new errors.NotFoundError(`No ${rule.contentType} with documentId ${documentId}`);
      const holds = conditionHolds(rule, current);
      const firing = await q(UID.notificationFiring).create({
        data: { ruleId: rule.id, contentType: rule.contentType, recordDocumentId: documentId, event: 'test', key: `${rule.id}:${documentId}:test:${Date.now()}:${Math.random()}`, state: holds ? 'queued' : 'not-matched', trace: holds ? null : notMatchedTrace(rule) },
      });
      if (holds) await fire(strapi, firing);
      return service.firing(firing.id, read);
    },

    async firing(id: number, scope: ReadScope): Promise<Firing> {
      const row = await q(UID.notificationFiring).findOne({ where: { id } });
      const message = row.messageId ? await q(UID.message).findOne({ where: { id: row.messageId } }) : null;
      const rule = await q(UID.notificationRule).findOne({ where: { id: row.ruleId } });
      return firingOut(strapi, row, message, rule, scope);
    },

    /** Newest first; the list page asks for one per rule, the trace view for a page (every 2 s while open: two queries, whatever the count). */
    async firings(ruleId: unknown, scope: ReadScope, limit = 200) {
      const rule = await service.get(ruleId);
      const rows = await q(UID.notificationFiring).findMany({ where: { ruleId: rule.id }, orderBy: { id: 'desc' }, limit });
      const messageIds = rows.map((r: Row) => r.messageId).filter(Boolean);
      const messages = messageIds.length ? await q(UID.message).findMany({ where: { id: { $in: messageIds } }, select: ['id', 'status', 'providerMessageId', 'errorClass', 'errorCode', 'errorText'] }) : [];
      const byId = new Map<number, Row>(messages.map((m: Row) => [m.id, m]));
      const read = memoScope(scope);
      return Promise.all(rows.map((r: Row) => firingOut(strapi, r, r.messageId ? byId.get(r.messageId) ?? null : null, rule, read)));
    },
  };
  return service;
};
