import { KNOWLEDGE_CHUNK_CHARS } from '../constants';

export interface Chunk {
  heading: string | null;
  text: string;
}

/** Paragraphs packed up to the size limit; a paragraph longer than it is cut on its sentences. */
const pack = (body: string, limit: number): string[] => {
  const pieces = body.split(/\n\s*\n/).flatMap((p) => (p.length <= limit ? [p] : p.match(new RegExp(`[^]{1,${limit}}(?=\\s|$)|[^]{1,${limit}}`, 'g')) ?? []));
  const out: string[] = [];
  for (const piece of pieces.map((p) => p.trim()).filter(Boolean)) {
    const last = out.length ? out[out.length - 1] : null;
    if (last !== null && last.length + piece.length + 2 <= limit) out[out.length - 1] = `${last}\n\n${piece}`;
    else out.push(piece);
  }
  return out;
};

/**
 * Markdown or plain text cut into sections under their heading (an FAQ's question is its heading,
 * the answer its body), each section packed into chunks of at most KNOWLEDGE_CHUNK_CHARS.
 */
export const chunkText = (text: string, limit = KNOWLEDGE_CHUNK_CHARS): Chunk[] => {
  const sections: { heading: string | null; lines: string[] }[] = [{ heading: null, lines: [] }];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) sections.push({ heading: heading[1], lines: [] });
    else sections[sections.length - 1].lines.push(line);
  }
  return sections.flatMap((s) => {
    const bodies = pack(s.lines.join('\n'), limit);
    return bodies.length ? bodies.map((body) => ({ heading: s.heading, text: body })) : s.heading ? [{ heading: s.heading, text: s.heading }] : [];
  });
};

/**
 * A stored source cut into chunks: a PDF's pages (joined by form feeds) each cut on its own, its
 * chunks headed with their page ("p. 3", or "Warranty (p. 3)") so a citation says where to look.
 */
export const chunkSource = (source: { text: string; filename?: string | null }): Chunk[] => {
  if (!source.filename?.toLowerCase().endsWith('.pdf')) return chunkText(source.text);
  return source.text.split('\f').flatMap((page, i) =>
    chunkText(page).map((c) => ({ heading: c.heading ? `${c.heading} (p. ${i + 1})` : `p. ${i + 1}`, text: c.text }))
  );
};
