import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { AssistantFigures, AssistantMode, AssistantSettings, Evaluation, SaveAssistantSettings, Suggestion, SuggestionOutcome } from '../../contracts/assistant';
import { createAuto } from '../assistant/auto';
import { createEngine, type Stored } from '../assistant/engine';
import { createEvaluation } from '../assistant/evaluation';
import { figuresOf } from '../assistant/figures';
import { ASSISTANT_RECENT_MESSAGES, PLUGIN_ID, UID } from '../constants';
import type { AdminUser } from './inbox';
import { toId } from '../ids';
import { windowOpen } from '../outbox/admission';
import { originOf } from '../providers/media-fetch';
import { getService } from '../utils';
import { briefCache } from '../brief-cache';

const KEY = 'assistant';

const DEFAULTS: Stored = { engine: 'builtin', baseUrl: null, model: null, apiKeyEncrypted: null, numbers: [], redact: true, budgetPerConversation: null };

const publicOf = ({ apiKeyEncrypted, ...rest }: Stored): AssistantSettings => ({ ...rest, apiKeySet: Boolean(apiKeyEncrypted) });

const invalid = (path: string[], message: string, value: unknown) => new errors.ValidationError(`${path.join('.')}: ${message}`, { errors: [{ path, message, name: 'ValidationError', value }] });

/** The assistant's settings, suggestions for staff, automatic answers, evaluations and figures. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  // Read on every customer message (is auto mode on?), so kept briefly; saving clears it.
  const cached = briefCache<'settings', Stored>();
  const read = async (): Promise<Stored> => structuredClone(await cached.get('settings', async () => ({ ...DEFAULTS, ...(((await store().get({})) as Partial<Stored> | null) ?? {}) })));
  const crypto = () => getService('crypto', { strapi });
  const engine = createEngine(strapi);
  const evaluation = createEvaluation(strapi, engine, read);

  /** The conversation's recent messages, oldest first, and the question: what the customer wrote since staff last answered. */
  const recentMessages = async (conversationId: number) => {
    const rows = await strapi.db.query(UID.message).findMany({ where: { conversationId, text: { $notNull: true } }, select: ['direction', 'text'], orderBy: { id: 'desc' }, limit: ASSISTANT_RECENT_MESSAGES });
    const messages = rows.reverse().filter((m: any) => m.text?.trim()) as { direction: 'in' | 'out'; text: string }[];
    const lastOut = messages.map((m) => m.direction).lastIndexOf('out');
    const asked = messages.slice(lastOut + 1).filter((m) => m.direction === 'in');
    return { messages, question: (asked.length ? asked : messages.slice(-1)).map((m) => m.text).join('\n') };
  };

  const auto = createAuto(strapi, { engine, read, recentMessages, evaluationPassed: async (numberId) => {
    const latest = await evaluation.latest(numberId);
    return Boolean(latest?.passed && !latest.stale);
  } });

  /** The ids of the numbers (not removed) `viewer`'s teams see. */
  const visibleIds = async (viewer: AdminUser) => {
    const scope = getService('scope', { strapi });
    const out = new Set<number>();
    for (const n of await strapi.db.query(UID.number).findMany({ where: { deletedAt: null }, select: ['id'] })) if (await scope.canSeeNumber(viewer, n.id)) out.add(n.id);
    return out;
  };

  const modeOf = (settings: Stored, numberId: number): AssistantMode => settings.numbers.find((n) => n.numberId === numberId)?.mode ?? 'suggest';

  return {
    /** The settings, each number's entry only for those who see the number (teams). */
    async getSettings(viewer: AdminUser): Promise<AssistantSettings> {
      const settings = await read();
      const seen = await visibleIds(viewer);
      return publicOf({ ...settings, numbers: settings.numbers.filter((n) => seen.has(n.numberId)) });
    },

    /**
     * `user` saves the numbers they see; the entries of other teams' numbers are kept as stored. A
     * number switched to auto mode by this save reads CRM records with `user`'s rights from now on;
     * one already in auto mode keeps whose rights it reads with.
     */
    async saveSettings(input: SaveAssistantSettings.Request, user: AdminUser): Promise<AssistantSettings> {
      const current = await read();
      const seen = await visibleIds(user);
      input.numbers.forEach((n, i) => {
        if (!seen.has(n.numberId)) throw invalid(['numbers', String(i), 'numberId'], `no WhatsApp number with id ${n.numberId}`, n.numberId);
      });
      const before = new Map(current.numbers.map((n) => [n.numberId, n]));
      const enabledByOf = (numberId: number, mode: AssistantMode) => {
        if (mode !== 'auto') return null;
        const was = before.get(numberId);
        return was?.mode === 'auto' && was.enabledBy ? was.enabledBy : user.id;
      };
      // A kept key would be sent as Bearer to whichever host the new address names, so a new origin needs the key entered again.
      const newOrigin = originOf(input.baseUrl);
      if (input.apiKey === undefined && current.apiKeyEncrypted && newOrigin && newOrigin !== originOf(current.baseUrl)) {
        const message = 'enter the key again for the new address: the saved key is only sent to the address it was entered for';
        throw new errors.ValidationError(`apiKey: ${message}`, { errors: [{ path: ['apiKey'], message, name: 'ValidationError', value: null }] });
      }
      // The key is write-only: left out keeps it, null removes it, a string replaces it (encrypted like provider credentials).
      const apiKeyEncrypted = input.apiKey === undefined ? current.apiKeyEncrypted : input.apiKey ? crypto().encrypt(input.apiKey) : null;
      const next: Stored = {
        engine: input.engine,
        baseUrl: input.baseUrl ?? null,
        model: input.model ?? null,
        apiKeyEncrypted,
        numbers: [
          ...input.numbers.map((n) => ({ numberId: n.numberId, mode: n.mode, threshold: n.threshold ?? null, golden: n.golden ?? [], enabledBy: enabledByOf(n.numberId, n.mode) })),
          ...current.numbers.filter((n) => !seen.has(n.numberId)),
        ],
        redact: input.redact ?? current.redact,
        budgetPerConversation: input.budgetPerConversation === undefined ? current.budgetPerConversation : input.budgetPerConversation,
      };
      // Auto mode answers customers unreviewed: only where the number's golden set passed its latest evaluation, run on this setup.
      for (const [i, n] of next.numbers.entries()) {
        if (n.mode !== 'auto') continue;
        const latest = await evaluation.latest(n.numberId, next);
        if (latest?.passed && !latest.stale) continue;
        const why = !latest
          ? 'it has not been evaluated yet'
          : !latest.passed
            ? `its latest evaluation passed ${latest.passedCount} of ${latest.total} questions`
            : 'the engine, model, threshold, golden set or knowledge changed since its latest evaluation: save without auto, evaluate again, then switch auto on';
        throw invalid(['numbers', String(i), 'mode'], `auto mode needs a passing evaluation of this number’s golden set: ${why}`, n.mode);
      }
      await store().set({ value: next });
      cached.clear();
      return publicOf({ ...next, numbers: next.numbers.filter((n) => seen.has(n.numberId)) });
    },

    /**
     * A draft for staff on a conversation the caller may see (team scoping, 404 otherwise), logged
     * as a suggestion row whose outcome staff report. Outside the 24-hour window a template is
     * proposed instead of free text; a timeout, an error or the spent budget hand off.
     */
    async suggest(viewer: AdminUser, conversationId: unknown): Promise<Suggestion> {
      const conversation = await getService('inbox', { strapi }).get(viewer, conversationId);
      const settings = await read();
      if (modeOf(settings, conversation.numberId) === 'off') {
        const message = 'the assistant is off for this conversation’s number';
        throw new errors.ValidationError(message, { errors: [{ path: ['numberId'], message, name: 'ValidationError', value: conversation.numberId }] });
      }
      const suggestions = strapi.db.query(UID.assistantSuggestion);
      const { messages, question } = await recentMessages(conversation.id);
      const spent = settings.budgetPerConversation !== null && (await suggestions.count({ where: { conversationId: conversation.id } })) >= settings.budgetPerConversation;
      const open = windowOpen(conversation.windowExpiresAt);
      const crm = (conversation as any).crmRecord ? { type: (conversation as any).crmRecord.type, fields: (conversation as any).crmRecord.fields } : null;
      const draft = await engine.draft(settings, { messages, question, crm, windowOpen: open, spent, numberId: conversation.numberId, customerName: conversation.customerName ?? null });
      const grounded = draft.grounded;
      const asked = await strapi.db.query(UID.message).findOne({ where: { conversationId: conversation.id, direction: 'in' }, orderBy: { id: 'desc' }, select: ['id', 'createdAt'] });
      const row = await suggestions.create({
        data: {
          kind: 'suggest',
          conversationId: conversation.id,
          numberId: conversation.numberId,
          authorId: viewer.id,
          engine: settings.engine,
          text: draft.text,
          citations: draft.citations,
          confidence: draft.confidence,
          grounded,
          handoffReason: draft.handoff?.reason ?? null,
          template: draft.template ?? null,
          tokens: draft.tokens,
          outcome: 'pending',
          messageId: asked?.id ?? null,
          latencyMs: asked ? Date.now() - new Date(asked.createdAt).getTime() : null,
        },
      });
      return {
        id: row.id,
        text: draft.text,
        citations: draft.citations,
        confidence: draft.confidence,
        grounded,
        ...(draft.handoff ? { handoff: draft.handoff } : {}),
        ...(draft.template ? { template: draft.template } : {}),
      };
    },

    /** What staff did with a suggestion (accepted, edited, rejected): once, by someone who may see its conversation. */
    async recordOutcome(viewer: AdminUser, id: unknown, outcome: SuggestionOutcome) {
      const n = toId(id);
      const row = n ? await strapi.db.query(UID.assistantSuggestion).findOne({ where: { id: n } }) : null;
      if (!row || !(await getService('scope', { strapi }).canSeeNumber(viewer, row.numberId))) throw new errors.NotFoundError('No suggestion with this id');
      if (row.outcome !== 'pending' && row.outcome !== outcome) {
        const message = `this suggestion was already ${row.outcome}`;
        throw new errors.ValidationError(message, { errors: [{ path: ['outcome'], message, name: 'ValidationError', value: outcome }] });
      }
      await strapi.db.query(UID.assistantSuggestion).update({ where: { id: row.id }, data: { outcome, outcomeAt: new Date() } });
      return { id: row.id, outcome };
    },

    /** Runs the number's golden set through the engine and stores the result as its latest evaluation. */
    /** Runs a number's golden set; another team's number is a 404, as everywhere. */
    async evaluate(viewer: AdminUser, numberId: number): Promise<Evaluation> {
      await getService('scope', { strapi }).assertNumberVisible(viewer, numberId);
      return evaluation.run(numberId);
    },

    /** The latest evaluation of each number the viewer may see. */
    async evaluations(viewer: AdminUser): Promise<Evaluation[]> {
      const scope = getService('scope', { strapi });
      const out: Evaluation[] = [];
      for (const e of await evaluation.all()) if (await scope.canSeeNumber(viewer, e.numberId)) out.push(e);
      return out;
    },

    /** Per number the viewer may see: what staff did with suggestions, automatic answers, handoffs, speed, tokens. */
    async figures(viewer: AdminUser): Promise<AssistantFigures[]> {
      const scope = getService('scope', { strapi });
      const numbers = await strapi.db.query(UID.number).findMany({ where: { deletedAt: null }, select: ['id'], orderBy: { id: 'asc' } });
      const visible: number[] = [];
      for (const n of numbers) if (await scope.canSeeNumber(viewer, n.id)) visible.push(n.id);
      return figuresOf(strapi, visible);
    },

    /** Answers a customer's message automatically where the number is in auto mode (false: it is not). */
    autoActive: (numberId: number) => auto.active(numberId),
    autoAnswer: (conversationId: number, messageId: number) => auto.answer(conversationId, messageId),
  };
};
