/** What is wrong with a notification rule, each problem under the form field it belongs to. */
import type { Core } from '@strapi/strapi';
import type { NotificationRuleInput } from '../../contracts/notifications';
import { UID } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { recordE164, regionOf } from '../phone';
import { assertTemplateParams } from '../template-params';
import { parameterSchemaOf } from '../template-schema';
import { getService } from '../utils';
import { render, slotName, type Row } from './logic';
import { boundPaths, pathIssues } from './paths';
import { recordLink } from './records';

export interface RuleIssue {
  path: string[];
  message: string;
}

/** Every problem with a rule at once; the template and parameters only when `template` (they are being set). */
export const ruleIssues = async (strapi: Core.Strapi, input: Partial<NotificationRuleInput>, { template: checkTemplate = true, scope }: { template?: boolean; scope?: ReadScope } = {}) => {
  const issues: RuleIssue[] = [];
  const issue = (path: string, message: string) => {
    issues.push({ path: [path], message });
  };
  const ct = input.contentType ? (strapi.contentTypes[input.contentType as keyof typeof strapi.contentTypes] as { kind?: string; attributes: Record<string, any> } | undefined) : undefined;
  if (input.contentType && (!ct || ct.kind !== 'collectionType')) issue('contentType', `no collection type ${input.contentType} in this app`);
  for (const p of input.parameters ?? []) {
    if (p.from === 'field' && !p.value?.trim()) issue('parameters', `${slotName(p)}: choose the field it is filled from`);
    if (p.from === 'constant' && !p.value?.trim()) issue('parameters', `${slotName(p)}: enter the text to send`);
  }
  if (ct && ct.kind === 'collectionType') {
    const allowed = (await getService('settings', { strapi }).get()).notificationFields[input.contentType!];
    // Each path once: the first problem with it, under the form field it is set in.
    for (const problem of await pathIssues(strapi, input as Row, scope)) issue(problem.where, problem.message);
    for (const { path, where, sent } of boundPaths(input as Row)) {
      // A value that goes out to a phone must also be among the fields the settings allow.
      if (sent && allowed?.length && !allowed.includes(path) && !issues.some((i) => i.path[0] === where && i.message.includes(path))) issue(where, `${path} is not among the fields allowed for ${input.contentType} in the settings`);
    }
    if (input.event === 'published' && !(ct as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish) {
      issue('event', `${input.contentType} has no draft & publish, so its records are never published; choose created or updated`);
    }
  }
  if (input.event === 'fieldChanged' && !input.field) issue('field', 'a fieldChanged rule needs the field');
  if (input.event === 'dateOffset') {
    if (!input.field) issue('field', 'a dateOffset rule needs the date field');
    else if (!['date', 'datetime'].includes(ct?.attributes[input.field]?.type)) issue('field', `${input.field} is not a date field of ${input.contentType}`);
    if (input.offsetDays === undefined || input.offsetDays === null) issue('offsetDays', 'a dateOffset rule needs offsetDays (negative: days before the date)');
  }
  const number = input.numberId ? await strapi.db.query(UID.number as any).findOne({ where: { id: input.numberId, deletedAt: null } }) : null;
  if (input.numberId && !number) issue('numberId', 'no WhatsApp number with this id');
  if (number && input.recipient?.from === 'constant' && !recordE164(input.recipient.value, regionOf(number))) {
    issue('recipient', `${input.recipient.value} is not a valid phone number; use the international format, e.g. +15550001111`);
  }
  if (number && input.template && checkTemplate) {
    const { name, language } = input.template;
    const row = await strapi.db.query(UID.template as any).findOne({ where: { numberId: number.id, name, language, removedAt: null } });
    if (!row) issue('template', `this number has no template ${name} (${language}); sync templates first`);
    else if (row.status !== 'APPROVED') issue('template', `template ${name} is ${row.status}; only approved templates can be sent`);
    else {
      // What the firings will send, with empty texts: the same check a send makes.
      try {
        assertTemplateParams(row.parameterSchema ?? parameterSchemaOf(row.components ?? []), row.parameterFormat ?? 'positional', render(input as Row, { documentId: '' }, recordLink(strapi, input.contentType ?? '', { documentId: '' })));
      } catch (error) {
        const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors ?? [{ message: (error as Error).message }];
        for (const d of details) issue('parameters', `template ${name}: ${d.message}`);
      }
    }
  }
  return issues;
};
