/**
 * A host collection type as knowledge: which of its fields may be indexed for a given admin (what
 * they could read in the Content Manager, never a private or secret field), and its records read
 * through that admin's permission checker and rendered as one section per record.
 */
import type { Core } from '@strapi/strapi';
import type { CollectionKnowledge } from '../../contracts/assistant';
import { SECRET } from '../bots/host-fields';
import { KNOWLEDGE_COLLECTION_MAX_RECORDS } from '../constants';
import { contentManagerScope } from '../content-manager-scope';
import { ownAttribute } from '../host-attributes';
import { chunkText, type Chunk } from './chunk';

/** Field types whose value reads as text. */
const READABLE = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration', 'integer', 'biginteger', 'float', 'decimal', 'date', 'datetime', 'time', 'boolean']);

export interface Problem {
  path: string[];
  message: string;
}

const fieldProblem = (strapi: Core.Strapi, uid: string, name: string, canRead: (f: string) => boolean): string | null => {
  const a = ownAttribute(strapi, uid, name);
  if (!a) return `'${name}' is not a field of ${uid}`;
  if (a.private || a.type === 'password' || SECRET.test(name)) return `'${name}' is private or holds credentials: it is never indexed`;
  if (!READABLE.has(a.type)) return `'${name}' is a ${a.type} field: only text, number, date, choice and boolean fields are indexed`;
  if (!canRead(name)) return `you may not read '${name}' of ${uid} in the Content Manager`;
  return null;
};

/**
 * What keeps `userAbility` from indexing this collection (the first problem, naming its field), or
 * the read filters its role conditions add.
 */
export const checkCollection = async (strapi: Core.Strapi, userAbility: unknown, c: CollectionKnowledge): Promise<{ problem: Problem } | { filters?: Record<string, unknown> }> => {
  const ct = (strapi.contentTypes as Record<string, any>)[c.contentType];
  if (!c.contentType.startsWith('api::') || !Object.hasOwn(strapi.contentTypes, c.contentType) || ct?.kind !== 'collectionType') {
    return { problem: { path: ['contentType'], message: `${c.contentType} is not a collection type of this app` } };
  }
  const read = await contentManagerScope(strapi, userAbility)(c.contentType);
  if (!read) return { problem: { path: ['contentType'], message: `you may not read ${c.contentType} in the Content Manager` } };
  const named: [string[], string][] = [[['titleField'], c.titleField], ...c.fields.map((f, i): [string[], string] => [['fields', String(i)], f])];
  for (const key of Object.keys(c.filters ?? {})) named.push([['filters', key], key]);
  for (const [path, name] of named) {
    const message = fieldProblem(strapi, c.contentType, name, read.canReadField);
    if (message) return { problem: { path, message } };
  }
  return { filters: read.filters };
};

const valueText = (v: unknown) => (v === null || v === undefined || v === '' ? null : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v).trim());

/** The records `filters` (the admin's read conditions and the source's own) let through, one section each: the title field its heading. */
export const collectionChunks = async (strapi: Core.Strapi, c: CollectionKnowledge, readFilters?: Record<string, unknown>): Promise<{ chunks: Chunk[]; records: number }> => {
  const ct = (strapi.contentTypes as Record<string, any>)[c.contentType];
  const filters = [readFilters, c.filters].filter((f) => f && Object.keys(f).length) as Record<string, unknown>[];
  const rows = (await strapi.documents(c.contentType as any).findMany({
    fields: [...new Set([c.titleField, ...c.fields])] as any,
    ...(filters.length ? { filters: { $and: filters } as any } : {}),
    ...(ct.options?.draftAndPublish ? { status: 'published' as const } : {}),
    sort: 'id:asc' as any,
    limit: KNOWLEDGE_COLLECTION_MAX_RECORDS,
  })) as Record<string, unknown>[];
  const chunks = rows.flatMap((row) => {
    const title = valueText(row[c.titleField]) ?? String(row.documentId);
    const values = c.fields.filter((f) => f !== c.titleField).map((f) => [f, valueText(row[f])] as const).filter(([, v]) => v);
    // One field reads as itself (an FAQ's answer); several are labelled.
    const body = values.length === 1 ? values[0][1]! : values.map(([f, v]) => `${f}: ${v}`).join('\n\n');
    if (!body) return [{ heading: title, text: title }];
    return chunkText(body).map((part) => ({ heading: part.heading ? `${title} — ${part.heading}` : title, text: part.text }));
  });
  return { chunks, records: rows.length };
};

/** The chunks up to `maxChars` of text in all (headings counted): a collection source is held to the size of any other source. */
export const capChunks = (chunks: Chunk[], maxChars: number): { chunks: Chunk[]; truncated: boolean } => {
  let total = 0;
  for (let i = 0; i < chunks.length; i += 1) {
    total += (chunks[i].heading?.length ?? 0) + chunks[i].text.length;
    if (total > maxChars) return { chunks: chunks.slice(0, i), truncated: true };
  }
  return { chunks, truncated: false };
};
