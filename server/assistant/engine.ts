/**
 * The one engine behind suggestions, automatic answers and evaluations: the knowledge hits for the
 * question, then the built-in answer or a model's, checked for figures in no source.
 */
import type { Core } from '@strapi/strapi';
import type { AssistantSettings, Citation, ProposedTemplate, Suggestion } from '../../contracts/assistant';
import { ASSISTANT_TIMEOUT_MS, ASSISTANT_TOP_CHUNKS } from '../constants';
import { getConfig, getService } from '../utils';
import { toWhatsApp } from './format';
import { ungroundedFigures } from './grounding';
import { confidenceOf } from './knowledge-index';
import { callChatCompletions, EngineError } from './openai';
import { buildPrompt, type ConversationContext } from './prompt';
import { proposeTemplate } from './template';

const EXCERPT_CHARS = 300;

export interface Stored extends Omit<AssistantSettings, 'apiKeySet'> {
  apiKeyEncrypted: string | null;
}

export type Draft = Omit<Suggestion, 'id'> & { tokens: number; template?: ProposedTemplate };

type Raw = Omit<Draft, 'grounded'> & { context: string[] };

export interface DraftInput {
  messages: ConversationContext['messages'];
  question: string;
  crm: ConversationContext['crm'];
  windowOpen: boolean;
  /** Set when the conversation's budget is spent: no call, a handoff. */
  spent?: boolean;
  /** For a template proposal outside the window. */
  numberId: number;
  customerName?: string | null;
}

const handoff = (reason: string, citations: Citation[] = [], tokens = 0): Raw => ({ text: '', citations, confidence: 0, handoff: { reason }, tokens, context: [] });

export const createEngine = (strapi: Core.Strapi) => {
  const citationOf = (h: { sourceId: number; title: string; heading: string | null; text: string }): Citation => ({
    sourceId: h.sourceId,
    title: h.heading ? `${h.title} — ${h.heading}` : h.title,
    excerpt: h.text.length > EXCERPT_CHARS ? `${h.text.slice(0, EXCERPT_CHARS - 1)}…` : h.text,
  });

  /** The best matching section, as it is written: the built-in engine needs no model. */
  const builtin = (context: ConversationContext): Raw => {
    const [top] = context.hits;
    if (!top) return handoff('nothing in the knowledge base matches the question');
    return { text: toWhatsApp(top.text), citations: [citationOf(top)], confidence: confidenceOf(context.hits), tokens: 0, context: [top.text] };
  };

  const openai = async (settings: Stored, context: ConversationContext): Promise<Raw> => {
    const apiKey = settings.apiKeyEncrypted ? getService('crypto', { strapi }).decrypt(settings.apiKeyEncrypted) : null;
    const citations = context.hits.map(citationOf);
    const used = context.hits.map((h) => h.text);
    try {
      const answer = await callChatCompletions({ baseUrl: settings.baseUrl!, model: settings.model!, apiKey, messages: buildPrompt(context, { redact: settings.redact }), timeoutMs: getConfig(strapi, 'assistant')?.timeoutMs ?? ASSISTANT_TIMEOUT_MS });
      if (answer.handoff !== null) return { ...handoff(answer.handoff, citations, answer.tokens), context: used };
      // A model's own certainty is not reported; how well the knowledge covers the question stands in for it.
      return { text: toWhatsApp(answer.reply!), citations, confidence: context.hits.length ? confidenceOf(context.hits) : 0, tokens: answer.tokens, context: used };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { ...handoff(error.message, citations), context: used };
    }
  };

  return {
    /** A draft answer to `question`; outside the window a template is proposed instead of free text. */
    async draft(settings: Stored, input: DraftInput): Promise<Draft> {
      let raw: Raw;
      if (input.spent) raw = handoff('this conversation’s assistant budget is spent');
      else if (!input.windowOpen) {
        const template = await proposeTemplate(strapi, input.numberId, input.question, input.customerName ?? null);
        raw = template ? { text: template.body, citations: [], confidence: 0, template, tokens: 0, context: [] } : handoff('the 24-hour window is closed and the number has no approved text template');
      } else {
        const hits = await getService('assistant-knowledge', { strapi }).search(input.question, ASSISTANT_TOP_CHUNKS, input.numberId);
        const context: ConversationContext = { messages: input.messages, crm: input.crm, hits };
        raw = settings.engine === 'openai' ? await openai(settings, context) : builtin(context);
      }
      const crmValues = input.crm ? Object.values(input.crm.fields).map(String) : [];
      const grounded = raw.template ? true : ungroundedFigures(raw.text, [...raw.context, ...crmValues]).length === 0;
      const { context: _context, ...draft } = raw;
      return { ...draft, grounded };
    },
  };
};
