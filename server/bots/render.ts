/** A bot's response as the messages that leave: interactive where the provider has them, numbered text where not. */
import type { BotButton, BotListRow, BotResponse } from '../../contracts/bots';
import type { BotOutgoing } from '../../contracts/bot-api';
import { mapUrl, type ReplyRequest } from '../../contracts/inbox';

type Interactive = NonNullable<BotOutgoing['interactive']>;

const numbered = (text: string, options: { title: string; description?: string }[]) =>
  `${text}\n\n${options.map((o, i) => `${i + 1}. ${o.title}${o.description ? ` (${o.description})` : ''}`).join('\n')}`;

const interactiveOf = (response: BotResponse): { body: string; interactive: Interactive; options: BotListRow[] } | null => {
  if (response.type === 'buttons') return { body: response.text, interactive: { type: 'button', body: response.text, buttons: response.buttons }, options: response.buttons };
  if (response.type === 'list') {
    const rows = response.sections.flatMap((s) => s.rows);
    return { body: response.text, interactive: { type: 'list', body: response.text, buttonText: response.buttonText, sections: response.sections }, options: rows };
  }
  if (response.type === 'menu') {
    const rows: BotListRow[] = response.items.map((i) => ({ id: i.id, title: i.title, ...(i.description ? { description: i.description } : {}) }));
    const interactive: Interactive =
      rows.length <= 3 && rows.every((r) => !r.description)
        ? { type: 'button', body: response.text, buttons: rows.map<BotButton>((r) => ({ id: r.id, title: r.title })) }
        : { type: 'list', body: response.text, buttonText: response.buttonText ?? 'Choose', sections: [{ rows }] };
    return { body: response.text, interactive, options: rows };
  }
  return null;
};

/** The text a response tells the customer when it is not itself a message (assign, ticket, hand-off...). */
const noteOf = (response: BotResponse): string | null => ('text' in response && typeof response.text === 'string' && response.text.trim() ? response.text : null);

/** What would be sent, for the preview: both forms of an interactive message. */
export const outgoingOf = (response: BotResponse, interactive = true): BotOutgoing | null => {
  const i = interactiveOf(response);
  if (i) return interactive ? { kind: 'interactive', text: numbered(i.body, i.options), interactive: i.interactive } : { kind: 'text', text: numbered(i.body, i.options) };
  switch (response.type) {
    case 'template':
      return { kind: 'template', text: `[template ${response.template.name}]` };
    case 'media':
      return { kind: 'media', text: response.caption ?? null };
    case 'location':
      return { kind: 'location', text: textOf(response) };
    case 'contact':
      return { kind: 'contacts', text: textOf(response) };
    default: {
      const note = noteOf(response);
      return note ? { kind: 'text', text: note } : null;
    }
  }
};

const textOf = (response: Extract<BotResponse, { type: 'location' | 'contact' }>) =>
  response.type === 'location'
    ? [response.name, response.address, mapUrl(response)].filter(Boolean).join('\n')
    : [response.name, response.phone, response.email].filter(Boolean).join('\n');

/** The outbox request of a response; null when it sends nothing (a silent hand-off). */
export const requestOf = (response: BotResponse, interactive: boolean): ReplyRequest | null => {
  const i = interactiveOf(response);
  if (i) return interactive ? { type: 'interactive', interactive: i.interactive } : { type: 'text', text: numbered(i.body, i.options) };
  switch (response.type) {
    case 'template':
      return { type: 'template', template: response.template };
    case 'media':
      return { type: 'media', mediaType: response.mediaType, link: response.link, caption: response.caption, filename: response.filename };
    case 'location': {
      const { latitude, longitude, name, address } = response;
      return { type: 'location', location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } };
    }
    case 'contact':
      return { type: 'contacts', contact: { name: response.name, phone: response.phone, ...(response.email ? { email: response.email } : {}) } };
    default: {
      const note = noteOf(response);
      return note ? { type: 'text', text: note } : null;
    }
  }
};
