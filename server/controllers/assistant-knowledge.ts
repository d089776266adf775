import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { KNOWLEDGE_EXTENSIONS } from '../../contracts/assistant';
import { KNOWLEDGE_MAX_CHARS } from '../constants';
import { getService } from '../utils';
import { validateKnowledge } from '../validation/assistant';

const invalidFile = (message: string) => new errors.ValidationError(`files: ${message}`, { errors: [{ path: ['files'], message, name: 'ValidationError', value: null }] });

/** Every uploaded file of a multipart body, whatever the field is called. */
const filesOf = (ctx: any): any[] => Object.values(ctx.request.files ?? {}).flatMap((f) => (Array.isArray(f) ? f : [f]));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knowledge = () => getService('assistant-knowledge', { strapi });
  return {
    async find(ctx: any) {
      const data = await knowledge().list();
      ctx.body = { data, meta: { total: data.length } };
    },
    async create(ctx: any) {
      ctx.created({ data: await knowledge().add((await validateKnowledge(ctx.request.body)) as { title: string; text: string }) });
    },
    /** .txt and .md files, each one source titled by its file name; all are checked before any is stored. */
    async upload(ctx: any) {
      const files = filesOf(ctx);
      if (!files.length) throw invalidFile('send one or more .txt or .md files (multipart/form-data)');
      const read = [];
      for (const file of files) {
        const name = String(file.originalFilename ?? file.name ?? 'file');
        const ext = path.extname(name).toLowerCase();
        if (!(KNOWLEDGE_EXTENSIONS as readonly string[]).includes(ext)) throw invalidFile(`${name}: only ${KNOWLEDGE_EXTENSIONS.join(', ')} files are read`);
        const text = (await fs.readFile(file.filepath ?? file.path, 'utf8')).trim();
        if (!text) throw invalidFile(`${name} is empty`);
        if (text.length > KNOWLEDGE_MAX_CHARS) throw invalidFile(`${name} is longer than ${KNOWLEDGE_MAX_CHARS} characters`);
        read.push({ title: path.basename(name, ext).slice(0, 200), text, filename: name.slice(0, 255) });
      }
      const data = [];
      for (const f of read) data.push(await knowledge().add({ ...f, kind: 'file' }));
      ctx.created({ data });
    },
    async delete(ctx: any) {
      ctx.body = { data: await knowledge().remove(ctx.params.id) };
    },
    async reindex(ctx: any) {
      ctx.body = { data: await knowledge().reindex() };
    },
  };
};
