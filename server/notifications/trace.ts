/** A firing's trace as each viewer may see it: values from fields they may not read are redacted. */
import type { Core } from '@strapi/strapi';
import type { Firing, RuleParameter } from '../../contracts/notifications';
import { REDACTED } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { mayRead, memoScope } from './paths';

type Row = Record<string, any>;
/** A field path, or null for a constant or a link (nothing read from the record). */
type Source = string | null;

/** Where each rendered value of a firing came from, in the order `render` lays them out. */
export interface TraceSources {
  header: Source[];
  body: Source[];
  buttons: Source[];
  recipient: Source;
}

export const sourcesOf = (rule: Row): TraceSources => {
  const sorted = [...((rule.parameters ?? []) as RuleParameter[])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const of = (component: RuleParameter['component']) => sorted.filter((p) => p.component === component).map((p) => (p.from === 'field' ? p.value ?? '' : null));
  return { header: of('header'), body: of('body'), buttons: of('button'), recipient: rule.recipient?.from === 'field' ? rule.recipient.value : null };
};

/**
 * A firing's trace as this viewer may see it: a value read from a field they may not read in the
 * Content Manager (or that no rule may read) shows as `•••`, flagged `redacted`. A value of
 * unknown source (an old trace of a rule edited since) is hidden too.
 */
export const redactTrace = async (strapi: Core.Strapi, contentType: string, trace: Row, sources: TraceSources, scope: ReadScope) => {
  const read = memoScope(scope);
  const verdicts = new Map<string, Promise<boolean>>();
  const hidden = async (source: Source | undefined) => {
    if (source === null) return false;
    if (source === undefined) return true;
    if (!verdicts.has(source)) verdicts.set(source, mayRead(strapi, contentType, source, read));
    return !(await verdicts.get(source));
  };
  let redacted = false;
  const mask = (p: Row) => {
    redacted = true;
    return { ...p, text: REDACTED, redacted: true };
  };
  const list = async (params: Row[] | undefined, from: Source[]) => (params ? Promise.all(params.map(async (p, i) => ((await hidden(from[i])) ? mask(p) : p))) : params);
  const out: Row = { ...trace };
  const params = trace.parameters as Row | undefined;
  if (params && typeof params === 'object') {
    out.parameters = {
      ...params,
      ...(params.header ? { header: await list(params.header, sources.header) } : {}),
      ...(params.body ? { body: await list(params.body, sources.body) } : {}),
      ...(params.buttons
        ? { buttons: await Promise.all((params.buttons as Row[]).map(async (b, i) => ((await hidden(sources.buttons[i])) ? { ...b, params: (b.params ?? []).map(mask) } : b))) }
        : {}),
    };
  }
  let hiddenRecipient: string | null = null;
  if (typeof trace.recipient === 'string' && trace.recipient && (await hidden(sources.recipient))) {
    hiddenRecipient = trace.recipient;
    out.recipient = REDACTED;
    redacted = true;
  }
  if (redacted) out.redacted = true;
  return { trace: out, hiddenRecipient };
};

/** A firing as its viewer may see it: values from fields they may not read are redacted. */
export const firingOut = async (strapi: Core.Strapi, row: Row, message: Row | null, rule: Row | null, scope: ReadScope): Promise<Firing> => {
  const { snapshot, sources, ...stored } = row.trace ?? {};
  const { trace, hiddenRecipient } = row.trace ? await redactTrace(strapi, row.contentType, stored, sources ?? sourcesOf(rule ?? {}), scope) : { trace: stored, hiddenRecipient: null };
  return {
    id: row.id,
    ruleId: row.ruleId,
    contentType: row.contentType,
    recordDocumentId: row.recordDocumentId,
    locale: row.locale ?? null,
    event: row.event,
    state: row.state,
    error: row.error && hiddenRecipient ? row.error.split(hiddenRecipient).join(REDACTED) : row.error ?? null,
    trace: row.trace
      ? { ...trace, message: message ? { status: message.status, providerMessageId: message.providerMessageId ?? null, errorClass: message.errorClass ?? null, errorCode: message.errorCode ?? null, errorText: message.errorText ?? null } : null }
      : null,
    createdAt: row.createdAt,
  } as Firing;
};
