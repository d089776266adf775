import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { AssistantMode, AssistantSettings, Citation, SaveAssistantSettings, Suggestion, SuggestionOutcome } from '../../contracts/assistant';
import { confidenceOf } from '../assistant/knowledge-index';
import { callChatCompletions, EngineError } from '../assistant/openai';
import { buildPrompt, type ConversationContext } from '../assistant/prompt';
import { toWhatsApp } from '../assistant/format';
import { ungroundedFigures } from '../assistant/grounding';
import { proposeTemplate } from '../assistant/template';
import { ASSISTANT_RECENT_MESSAGES, ASSISTANT_TIMEOUT_MS, ASSISTANT_TOP_CHUNKS, PLUGIN_ID, UID } from '../constants';
import type { AdminUser } from './inbox';
import { toId } from '../ids';
import { originOf } from '../providers/media-fetch';
import { getConfig, getService } from '../utils';

const KEY = 'assistant';
const EXCERPT_CHARS = 300;

interface Stored extends Omit<AssistantSettings, 'apiKeySet'> {
  apiKeyEncrypted: string | null;
}

const DEFAULTS: Stored = { engine: 'builtin', baseUrl: null, model: null, apiKeyEncrypted: null, numbers: [], redact: true, budgetPerConversation: null };

const publicOf = ({ apiKeyEncrypted, ...rest }: Stored): AssistantSettings => ({ ...rest, apiKeySet: Boolean(apiKeyEncrypted) });

type Draft = Omit<Suggestion, 'id' | 'grounded'> & { tokens: number; context: string[] };

/** The assistant's settings, and suggestions for staff: drafts from the knowledge base (built-in) or a model. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  const read = async (): Promise<Stored> => ({ ...DEFAULTS, ...(((await store().get({})) as Partial<Stored> | null) ?? {}) });
  const crypto = () => getService('crypto', { strapi });

  const citationOf = (h: { sourceId: number; title: string; heading: string | null; text: string }): Citation => ({
    sourceId: h.sourceId,
    title: h.heading ? `${h.title} — ${h.heading}` : h.title,
    excerpt: h.text.length > EXCERPT_CHARS ? `${h.text.slice(0, EXCERPT_CHARS - 1)}…` : h.text,
  });

  /** The best matching section, as it is written: the built-in engine needs no model. */
  const builtin = (context: ConversationContext): Draft => {
    const [top] = context.hits;
    if (!top) return { text: '', citations: [], confidence: 0, handoff: { reason: 'nothing in the knowledge base matches the question' }, tokens: 0, context: [] };
    return { text: toWhatsApp(top.text), citations: [citationOf(top)], confidence: confidenceOf(context.hits), tokens: 0, context: [top.text] };
  };

  const openai = async (settings: Stored, context: ConversationContext): Promise<Draft> => {
    const apiKey = settings.apiKeyEncrypted ? crypto().decrypt(settings.apiKeyEncrypted) : null;
    const citations = context.hits.map(citationOf);
    const used = context.hits.map((h) => h.text);
    try {
      const answer = await callChatCompletions({ baseUrl: settings.baseUrl!, model: settings.model!, apiKey, messages: buildPrompt(context, { redact: settings.redact }), timeoutMs: getConfig(strapi, 'assistant')?.timeoutMs ?? ASSISTANT_TIMEOUT_MS });
      if (answer.handoff !== null) return { text: '', citations, confidence: 0, handoff: { reason: answer.handoff }, tokens: answer.tokens, context: used };
      // A model's own certainty is not reported; how well the knowledge covers the question stands in for it.
      return { text: toWhatsApp(answer.reply!), citations, confidence: context.hits.length ? confidenceOf(context.hits) : 0, tokens: answer.tokens, context: used };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { text: '', citations, confidence: 0, handoff: { reason: error.message }, tokens: 0, context: used };
    }
  };

  /** The conversation's recent messages, oldest first, and the question: what the customer wrote since staff last answered. */
  const recentMessages = async (conversationId: number) => {
    const rows = await strapi.db.query(UID.message).findMany({ where: { conversationId, text: { $notNull: true } }, select: ['direction', 'text'], orderBy: { id: 'desc' }, limit: ASSISTANT_RECENT_MESSAGES });
    const messages = rows.reverse().filter((m: any) => m.text?.trim()) as { direction: 'in' | 'out'; text: string }[];
    const lastOut = messages.map((m) => m.direction).lastIndexOf('out');
    const asked = messages.slice(lastOut + 1).filter((m) => m.direction === 'in');
    return { messages, question: (asked.length ? asked : messages.slice(-1)).map((m) => m.text).join('\n') };
  };

  const modeOf = (settings: Stored, numberId: number): AssistantMode => settings.numbers.find((n) => n.numberId === numberId)?.mode ?? 'suggest';

  return {
    async getSettings(): Promise<AssistantSettings> {
      return publicOf(await read());
    },

    async saveSettings(input: SaveAssistantSettings.Request): Promise<AssistantSettings> {
      const current = await read();
      const known = new Set((await strapi.db.query(UID.number).findMany({ where: { deletedAt: null }, select: ['id'] })).map((n: { id: number }) => n.id));
      input.numbers.forEach((n, i) => {
        if (known.has(n.numberId)) return;
        const message = `no WhatsApp number with id ${n.numberId}`;
        throw new errors.ValidationError(`numbers.${i}.numberId: ${message}`, { errors: [{ path: ['numbers', String(i), 'numberId'], message, name: 'ValidationError', value: n.numberId }] });
      });
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
        numbers: input.numbers.map((n) => ({ numberId: n.numberId, mode: n.mode, threshold: n.threshold ?? null })),
        redact: input.redact ?? current.redact,
        budgetPerConversation: input.budgetPerConversation === undefined ? current.budgetPerConversation : input.budgetPerConversation,
      };
      await store().set({ value: next });
      return publicOf(next);
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
      const windowOpen = Boolean(conversation.windowExpiresAt && new Date(conversation.windowExpiresAt) > new Date());
      const crm = (conversation as any).crmRecord ? { type: (conversation as any).crmRecord.type, fields: (conversation as any).crmRecord.fields } : null;

      let draft: Draft;
      if (spent) {
        draft = { text: '', citations: [], confidence: 0, handoff: { reason: 'this conversation’s assistant budget is spent' }, tokens: 0, context: [] };
      } else if (!windowOpen) {
        const template = await proposeTemplate(strapi, conversation.numberId, question, conversation.customerName ?? null);
        draft = template
          ? { text: template.body, citations: [], confidence: 0, template, tokens: 0, context: [] }
          : { text: '', citations: [], confidence: 0, handoff: { reason: 'the 24-hour window is closed and the number has no approved text template' }, tokens: 0, context: [] };
      } else {
        const hits = (await getService('assistant-knowledge', { strapi }).index()).query(question, ASSISTANT_TOP_CHUNKS);
        const context: ConversationContext = { messages, crm, hits };
        draft = settings.engine === 'openai' ? await openai(settings, context) : builtin(context);
      }
      const crmValues = crm ? Object.values(crm.fields).map(String) : [];
      const grounded = draft.template ? true : ungroundedFigures(draft.text, [...draft.context, ...crmValues]).length === 0;
      const row = await suggestions.create({
        data: {
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
  };
};
