import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import { toId } from '../ids';

const out = (row: any) => ({ id: row.id, name: row.name, text: row.text });

const isUniqueViolation = (error: unknown) => /unique|duplicate/i.test(String((error as Error)?.message ?? '')) || ['23505', 'SQLITE_CONSTRAINT_UNIQUE'].includes((error as { code?: string })?.code ?? '');

/** Saved answers, used by name (`/name` in the composer, or `{ type: 'quick-reply', name }` in a reply). */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(UID.quickReply);
  const nameTaken = () => new errors.ValidationError('name: a quick reply with this name exists', { errors: [{ path: ['name'], message: 'a quick reply with this name exists', name: 'ValidationError', value: null }] });
  const find = async (id: unknown) => {
    const n = toId(id);
    const row = n ? await q().findOne({ where: { id: n } }) : null;
    if (!row) throw new errors.NotFoundError('No quick reply with this id');
    return row;
  };
  return {
    async list() {
      return (await q().findMany({ orderBy: { name: 'asc' } })).map(out);
    },
    async byName(name: string) {
      const row = await q().findOne({ where: { name } });
      if (!row) throw new errors.ValidationError(`no quick reply named ${name}`, { errors: [{ path: ['name'], message: 'no quick reply with this name', name: 'ValidationError', value: name }] });
      return out(row);
    },
    async create(input: { name: string; text: string }) {
      try {
        return out(await q().create({ data: input }));
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken();
        throw error;
      }
    },
    async update(id: unknown, input: { name?: string; text?: string }) {
      const row = await find(id);
      try {
        return out(await q().update({ where: { id: row.id }, data: input }));
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken();
        throw error;
      }
    },
    async remove(id: unknown) {
      const row = await find(id);
      await q().delete({ where: { id: row.id } });
      return out(row);
    },
  };
};
