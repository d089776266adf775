export interface QuickReply {
  id: number;
  name: string;
  text: string;
}

/** `/nam` typed at the end of the text: the query after the slash; null when no slash command is being typed. */
export const slashQuery = (text: string): string | null => {
  const m = /(?:^|\s)\/([a-z0-9_-]*)$/i.exec(text);
  return m ? m[1].toLowerCase() : null;
};

/** Replies whose name starts with the query first, then those that merely contain it. */
export const matchReplies = (replies: QuickReply[], query: string) => {
  const starts = replies.filter((r) => r.name.toLowerCase().startsWith(query));
  const contains = replies.filter((r) => !r.name.toLowerCase().startsWith(query) && (r.name.toLowerCase().includes(query) || r.text.toLowerCase().includes(query)));
  return [...starts, ...contains].slice(0, 8);
};

/** The text with the `/query` being typed replaced by the reply. */
export const insertReply = (text: string, reply: QuickReply) => text.replace(/(^|\s)\/([a-z0-9_-]*)$/i, (_, space: string) => `${space}${reply.text}`);
