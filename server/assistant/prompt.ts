import type { Hit } from './knowledge-index';
import type { ChatMessage } from './openai';
import { redact } from './redact';

export interface ConversationContext {
  /** Oldest first. */
  messages: { direction: 'in' | 'out'; text: string }[];
  /** The linked CRM record's fields the acting user may read; null when none is linked or readable. */
  crm: { type: string; fields: Record<string, unknown> } | null;
  hits: Hit[];
}

const INSTRUCTIONS = [
  'You draft WhatsApp replies for a business, for its staff to review.',
  'Answer only from the knowledge and the customer record below; never invent numbers, prices, dates or promises.',
  'Keep it short and friendly, plain text with WhatsApp formatting (*bold*, _italic_), no Markdown headings or tables.',
  'Answer with one JSON object and nothing else: {"reply": "<the message>", "handoff": false}',
  'or, when a person should answer (the knowledge does not cover it, the customer is upset or asks for a person): {"handoff": true, "reason": "<why>"}.',
].join('\n');

/**
 * The chat messages sent to a model: instructions, the knowledge hits and the CRM fields as
 * context, then the conversation; phones and e-mails of the customer's side redacted when asked.
 */
export const buildPrompt = (context: ConversationContext, options: { redact: boolean }): ChatMessage[] => {
  const clean = (text: string) => (options.redact ? redact(text) : text);
  const knowledge = context.hits.length
    ? context.hits.map((h, i) => `[${i + 1}] ${h.title}${h.heading ? ` — ${h.heading}` : ''}\n${h.text}`).join('\n\n')
    : '(nothing in the knowledge base matches)';
  const crm = context.crm
    ? `${context.crm.type}:\n${Object.entries(context.crm.fields)
        .map(([k, v]) => `- ${k}: ${clean(String(v))}`)
        .join('\n')}`
    : '(no customer record)';
  return [
    { role: 'system', content: `${INSTRUCTIONS}\n\n# Knowledge\n${knowledge}\n\n# Customer record\n${crm}` },
    ...context.messages.map((m): ChatMessage => ({ role: m.direction === 'in' ? 'user' : 'assistant', content: clean(m.text) })),
  ];
};
