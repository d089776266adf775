/**
 * The Document Service middleware (registered in the plugin's register()): it writes firing rows
 * in the same transaction as the host's write (unique key: rule + record + event + occurrence), so
 * a rolled-back write sends nothing and a repeated call sends once.
 */
import type { Core } from '@strapi/strapi';
import { ACTIONS, changedBetween, eventsOf, failedRow, firingRow, listensTo, matches, type FiringRow, type Row } from './logic';
import { loadRecord, loadState, recordFirings, refusalOf } from './records';

const attempt = async <T>(load: () => Promise<T>): Promise<{ value: T | null; error?: Error }> => {
  try {
    return { value: await load() };
  } catch (error) {
    return { value: null, error: error as Error };
  }
};

type Context = { uid: string; action: string; params: Row };

/**
 * Each rule is evaluated on its own: one that throws gets a `failed` firing with the error, the
 * others still fire, and the host's write goes through whatever the rules do. `kick` wakes the
 * firing worker once the write committed with something to send.
 */
export const notificationMiddleware =
  (strapi: Core.Strapi, activeRules: () => Promise<Row[]>, kick: () => void) => async (ctx: Context, next: () => Promise<unknown>) => {
    if (!ctx.uid.startsWith('api::') || !ACTIONS[ctx.action]) return next();
    const contentType = strapi.contentTypes[ctx.uid as keyof typeof strapi.contentTypes] as any;
    const events = eventsOf(ctx.action, ctx.params, contentType?.options?.draftAndPublish === true);
    let rules: Row[];
    try {
      rules = (await activeRules()).filter((r) => r.contentType === ctx.uid && listensTo(r, events));
    } catch (error) {
      strapi.log.error(`[whatsapp] notification rules could not be read for ${ctx.uid}: ${(error as Error).message}`);
      return next();
    }
    if (!rules.length) return next();
    // On localized types each locale is a record of its own; without a locale Strapi means the default one.
    const localized = contentType?.pluginOptions?.i18n?.localized === true;
    const asked = localized && typeof ctx.params.locale === 'string' && ctx.params.locale !== '*' ? (ctx.params.locale as string) : undefined;
    const needsBefore = ctx.action === 'update' && rules.some((r) => r.event === 'fieldChanged' || r.event === 'updated');
    const before = needsBefore && ctx.params.documentId ? await attempt(() => loadState(strapi, ctx.uid, ctx.params.documentId, asked)) : { value: null };
    // A deleted record can only be read, and later rendered, from what it was before the delete.
    const snapshots = ctx.action === 'delete' && ctx.params.documentId ? await Promise.all(rules.map((r) => attempt(() => loadRecord(strapi, ctx.uid, ctx.params.documentId, r, asked)))) : [];

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const result = (await next()) as Row | null;
      const documentId = result?.documentId ?? ctx.params.documentId;
      if (!documentId) return result;
      const locale: string | undefined = asked ?? (localized ? result?.locale ?? result?.entries?.[0]?.locale ?? undefined : undefined);
      const after = needsBefore && !before.error ? await attempt(() => loadState(strapi, ctx.uid, documentId, locale)) : { value: null };
      const stateError = before.error ?? after.error;
      const unchanged = needsBefore && !stateError && !changedBetween(before.value, after.value);
      const rows: FiringRow[] = [];
      for (const [i, rule] of rules.entries()) {
        if (unchanged && rule.event === 'updated') continue;
        try {
          // Recorded as skipped, with why, before anything of the record is read for it.
          const refused = await refusalOf(strapi, rule);
          if (refused) {
            rows.push({ ...failedRow(rule, ctx.uid, documentId, locale, events, result, new Error(refused)), state: 'skipped', error: refused, trace: { matched: false, reason: 'the rule reads a field no rule may send' } });
            continue;
          }
          if (stateError && (rule.event === 'updated' || rule.event === 'fieldChanged')) throw stateError;
          if (snapshots[i]?.error) throw snapshots[i].error;
          const current = ctx.action === 'delete' ? snapshots[i].value : await loadRecord(strapi, ctx.uid, documentId, rule, locale);
          if (current && matches(rule, events, current, before.value)) rows.push(firingRow(rule, ctx.uid, documentId, locale, events, current));
        } catch (error) {
          strapi.log.error(`[whatsapp] notification rule ${rule.id} (${rule.name}) on ${ctx.uid} ${documentId}: ${(error as Error).message}`);
          rows.push(failedRow(rule, ctx.uid, documentId, locale, events, result, error as Error));
        }
      }
      try {
        // In a savepoint: on PostgreSQL a failed insert would otherwise abort the host's transaction.
        await trx.transaction((savepoint: any) => recordFirings(strapi, savepoint, rows));
        if (rows.some((r) => r.state === 'pending')) onCommit(() => kick());
      } catch (error) {
        strapi.log.error(`[whatsapp] notification firings for ${ctx.uid} ${documentId} not recorded: ${(error as Error).message}`);
      }
      return result;
    });
  };
