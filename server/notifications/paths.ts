/** What a CRM-event rule may read of a record (its field paths), checked by policy and against the author's Content Manager permissions. */
import type { Core } from '@strapi/strapi';
import type { RuleParameter } from '../../contracts/notifications';
import { BINDABLE_OUTSIDE_API, BINDABLE_TYPES } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { ownAttribute } from '../host-attributes';

type Row = Record<string, any>;

const TO_MANY = new Set(['oneToMany', 'manyToMany', 'morphMany', 'morphToMany']);

/** The form field of a rule a path is set in. */
export type PathWhere = 'field' | 'parameters' | 'recipient' | 'condition';

export interface BoundPath {
  path: string;
  where: PathWhere;
  /** Its value goes out to a phone (a parameter, the recipient), not only compared. */
  sent: boolean;
}

/** One step of a path: a field read on a type (`invoice.contact.phone` → invoice.contact, contact.phone). */
export interface Step {
  uid: string;
  field: string;
}

export interface PathIssue extends BoundPath {
  message: string;
  /** `policy`: nobody may bind it; `permission`: this caller may not read it in the Content Manager. */
  kind: 'policy' | 'permission';
}

/** Every field path a rule reads, under the form field it is set in. */
export const boundPaths = (rule: Row): BoundPath[] => [
  ...(typeof rule.field === 'string' && rule.field ? [{ path: rule.field, where: 'field' as const, sent: false }] : []),
  ...((rule.parameters ?? []) as RuleParameter[]).filter((p) => p.from === 'field' && p.value?.trim()).map((p) => ({ path: p.value!, where: 'parameters' as const, sent: true })),
  ...(rule.recipient?.from === 'field' && rule.recipient.value ? [{ path: rule.recipient.value as string, where: 'recipient' as const, sent: true }] : []),
  ...Object.keys(rule.condition ?? {}).map((path) => ({ path, where: 'condition' as const, sent: false })),
];

const outsideApi = (step: Step) => !step.uid.startsWith('api::') && !BINDABLE_OUTSIDE_API[step.uid]?.includes(step.field);

/**
 * The steps of a path on a type, or why no one may bind it: it must exist, follow only single
 * relations to the app's own types, skip private fields and end on a scalar.
 */
export const stepsOf = (strapi: Core.Strapi, uid: string, path: string): { steps: Step[]; problem?: undefined } | { problem: string; steps?: undefined } => {
  const segments = path.split('.');
  const steps: Step[] = [];
  let model = uid;
  for (const [i, segment] of segments.entries()) {
    const attribute = ownAttribute(strapi, model, segment);
    const last = i === segments.length - 1;
    if (!attribute) return { problem: `${uid} has no field ${path}` };
    if (attribute.type === 'relation' && TO_MANY.has(attribute.relation)) return { problem: `${path} goes through ${segment}, a list of records; only single relations can be followed` };
    if (attribute.private || attribute.type === 'password') return { problem: `${path} is private and cannot be sent` };
    steps.push({ uid: model, field: segment });
    if (attribute.type === 'relation') {
      if (last) return { problem: `${path} is a relation; choose one of its own fields` };
      if (!attribute.target) return { problem: `${path} goes through ${segment}, a relation to several types; only relations to one type can be followed` };
      model = attribute.target;
    } else if (!last) {
      return { problem: `${path} goes through ${segment}, a ${attribute.type} field, not a relation` };
    } else if (!BINDABLE_TYPES.has(attribute.type)) {
      return { problem: `${path} is a ${attribute.type} field; only texts, numbers, dates, true/false and choices can be bound` };
    }
  }
  const outside = steps.find(outsideApi);
  if (outside) {
    return { problem: outside.uid.startsWith('admin::') ? `${path} reads admin users (${outside.uid}), which rules may never send or compare` : `${path} reads ${outside.field} of ${outside.uid}; rules read only the app's own types` };
  }
  return { steps };
};

/**
 * Why this caller may not read a path's steps in the Content Manager, or null. A rule reads
 * whichever record fires it, so reading only some records of a type (role conditions such as "is
 * creator", or some locales) is not enough, unless `recordChecked`: the path's own record was
 * already checked against those conditions (a test-send on a chosen record).
 */
const permissionProblem = async (scope: ReadScope, path: string, steps: Step[], recordChecked = false) => {
  for (const [i, { uid, field }] of steps.entries()) {
    const read = await scope(uid);
    if (!read) return `${path}: you may not read ${uid} in the Content Manager`;
    if (!read.canReadField(field)) return `${path}: you may not read the field ${field} of ${uid} in the Content Manager`;
    if (!read.everyRecord && !(recordChecked && i === 0)) return `${path}: you may read only some records of ${uid} in the Content Manager (role conditions or locales), and a rule reads any record`;
  }
  return null;
};

/** A read scope that asks the Content Manager once per type. */
export const memoScope = (scope: ReadScope): ReadScope => {
  const seen = new Map<string, ReturnType<ReadScope>>();
  return (uid) => {
    if (!seen.has(uid)) seen.set(uid, scope(uid));
    return seen.get(uid)!;
  };
};

/**
 * Every path of a rule no one may bind, and, given the caller's Content Manager scope, every
 * one they may not read (its type, its field, and along a relation the target's type and field).
 */
export const pathIssues = async (strapi: Core.Strapi, rule: Row, scope?: ReadScope, { recordChecked = false }: { recordChecked?: boolean } = {}): Promise<PathIssue[]> => {
  const issues: PathIssue[] = [];
  for (const bound of boundPaths(rule)) {
    const walked = stepsOf(strapi, rule.contentType, bound.path);
    if (walked.problem !== undefined) {
      issues.push({ ...bound, message: walked.problem, kind: 'policy' });
      continue;
    }
    const denied = scope ? await permissionProblem(scope, bound.path, walked.steps, recordChecked) : null;
    if (denied) issues.push({ ...bound, message: denied, kind: 'permission' });
  }
  return issues;
};

/** Whether a viewer may see the value read at a path: bindable by policy and readable by them. */
export const mayRead = async (strapi: Core.Strapi, uid: string, path: string, scope: ReadScope) => {
  const walked = stepsOf(strapi, uid, path);
  return walked.problem === undefined && !(await permissionProblem(scope, path, walked.steps));
};

/**
 * The populate tree for what a rule reads through relations, each related record with only the
 * fields named (`invoice.contact.phone` → `{ invoice: { fields, populate: { contact: { fields: ['documentId', 'phone'] } } } }`).
 * Paths no one may bind are left out, so an old rule cannot load them. The record the recipient's
 * phone is read from also brings its opt-out flag (`optOutFields`: per identity source type), which
 * only the server's opt-out check reads.
 */
export const populateFor = (strapi: Core.Strapi, uid: string, rule: Row, optOutFields: Record<string, string> = {}) => {
  type Node = { fields: Set<string>; populate: Record<string, Node> };
  const tree: Record<string, Node> = {};
  for (const { path, where } of boundPaths(rule)) {
    const { steps } = stepsOf(strapi, uid, path);
    if (!steps || steps.length < 2) continue;
    let level = tree;
    for (const [i, step] of steps.slice(0, -1).entries()) {
      level[step.field] ??= { fields: new Set(['documentId']), populate: {} };
      if (i === steps.length - 2) {
        const last = steps[i + 1];
        level[step.field].fields.add(last.field);
        const flag = where === 'recipient' ? optOutFields[last.uid] : undefined;
        if (flag) level[step.field].fields.add(flag);
      }
      level = level[step.field].populate;
    }
  }
  const out = (level: Record<string, Node>): Row =>
    Object.fromEntries(Object.entries(level).map(([key, node]) => [key, { fields: [...node.fields], ...(Object.keys(node.populate).length ? { populate: out(node.populate) } : {}) }]));
  return out(tree);
};
