import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { KNOWLEDGE_EXTENSIONS, type CollectionKnowledge } from '../../contracts/assistant';
import { PAGE_BREAK, UnreadablePdf, readPdf } from '../assistant/pdf';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_PDF_MAX_BYTES, PLUGIN_ID } from '../constants';
import { getService } from '../utils';
import { validateCollectionKnowledge, validateKnowledge, validateUploadNumbers } from '../validation/assistant';

const invalidFile = (message: string) => new errors.ValidationError(`files: ${message}`, { errors: [{ path: ['files'], message, name: 'ValidationError', value: null }] });

/** Every uploaded file of a multipart body, whatever the field is called. */
const filesOf = (ctx: any): any[] => Object.values(ctx.request.files ?? {}).flatMap((f) => (Array.isArray(f) ? f : [f]));

/** A list entry of plain digits as a number; anything else as sent, for validation to refuse. */
const digits = (v: unknown) => (typeof v === 'string' && /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : v);

/** A multipart list field as sent: `1,2`, `[1,2]`, repeated fields, or nothing; anything else is left for validation to refuse. */
const listField = (value: unknown): unknown => {
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value.map(digits);
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return text.split(',').map(digits);
};

/** The plugin's folder as Strapi resolved it (it holds the PDF reader's worker script). */
const pluginFolder = (strapi: Core.Strapi): string | undefined => (strapi.config.get('enabledPlugins') as Record<string, { pathToPlugin?: string }> | undefined)?.[PLUGIN_ID]?.pathToPlugin;

/** A PDF's text, its pages joined by form feeds; anything that is not a readable text PDF is the caller's 400. */
const pdfText = async (strapi: Core.Strapi, name: string, file: any) => {
  if (Number(file.size) > KNOWLEDGE_PDF_MAX_BYTES) throw invalidFile(`${name} is larger than ${KNOWLEDGE_PDF_MAX_BYTES / 1024 / 1024} MB`);
  try {
    return (await readPdf(await fs.readFile(file.filepath ?? file.path), pluginFolder(strapi))).join(PAGE_BREAK).trim();
  } catch (error) {
    if (error instanceof UnreadablePdf) throw invalidFile(`${name} ${error.message}`);
    throw error;
  }
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knowledge = () => getService('assistant-knowledge', { strapi });
  return {
    async find(ctx: any) {
      const data = await knowledge().list(ctx.state.user);
      ctx.body = { data, meta: { total: data.length } };
    },
    /** `{ title, text }`, or `{ contentType, titleField, fields, filters? }`: a host collection read with the caller's rights. */
    async create(ctx: any) {
      const body = ctx.request.body;
      if (body && typeof body === 'object' && 'contentType' in body) {
        const { numberIds, ...config } = (await validateCollectionKnowledge(body)) as CollectionKnowledge & { numberIds?: number[] };
        return ctx.created({ data: await knowledge().addCollection(ctx.state.user, ctx.state.userAbility, config, numberIds) });
      }
      const input = (await validateKnowledge(body)) as { title: string; text: string; numberIds?: number[] };
      ctx.created({ data: await knowledge().add({ ...input, numberIds: await knowledge().checkNumbers(ctx.state.user, input.numberIds) }) });
    },
    /** .txt, .md and .pdf files, each one source titled by its file name; all are checked before any is stored. */
    async upload(ctx: any) {
      const files = filesOf(ctx);
      if (!files.length) throw invalidFile('send one or more .txt, .md or .pdf files (multipart/form-data)');
      const { numberIds } = (await validateUploadNumbers({ numberIds: listField(ctx.request.body?.numberIds) })) as { numberIds?: number[] };
      const numbers = await knowledge().checkNumbers(ctx.state.user, numberIds);
      const read = [];
      for (const file of files) {
        const name = String(file.originalFilename ?? file.name ?? 'file');
        const ext = path.extname(name).toLowerCase();
        if (!(KNOWLEDGE_EXTENSIONS as readonly string[]).includes(ext)) throw invalidFile(`${name}: only ${KNOWLEDGE_EXTENSIONS.join(', ')} files are read`);
        const text = ext === '.pdf' ? await pdfText(strapi, name, file) : (await fs.readFile(file.filepath ?? file.path, 'utf8')).trim();
        if (!text) throw invalidFile(`${name} is empty`);
        if (text.length > KNOWLEDGE_MAX_CHARS) throw invalidFile(`${name} is longer than ${KNOWLEDGE_MAX_CHARS} characters`);
        read.push({ title: path.basename(name, ext).slice(0, 200), text, filename: name.slice(0, 255) });
      }
      const data = [];
      for (const f of read) data.push(await knowledge().add({ ...f, kind: 'file', numberIds: numbers }));
      ctx.created({ data });
    },
    async delete(ctx: any) {
      ctx.body = { data: await knowledge().remove(ctx.state.user, ctx.params.id) };
    },
    async reindex(ctx: any) {
      ctx.body = { data: await knowledge().reindex() };
    },
  };
};
