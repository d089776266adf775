import type { Core } from '@strapi/strapi';
import type { ProposedTemplate } from '../../contracts/assistant';
import { UID } from '../constants';
import { parameterSchemaOf } from '../template-schema';

const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}{3,}/gu) ?? []);

/**
 * Outside the 24-hour window only a template may be sent: the number's approved text template whose
 * body shares the most words with the question, its first parameter filled with the customer's name.
 */
export const proposeTemplate = async (strapi: Core.Strapi, numberId: number, question: string, customerName: string | null): Promise<ProposedTemplate | null> => {
  const rows = await strapi.db.query(UID.template).findMany({ where: { numberId, status: 'APPROVED', removedAt: null }, select: ['name', 'language', 'components'], orderBy: { name: 'asc' } });
  const asked = words(question);
  const candidates = rows
    .map((row: any) => {
      const components = Array.isArray(row.components) ? row.components : [];
      const schema = parameterSchemaOf(components);
      const body = String(components.find((c: any) => String(c?.type).toUpperCase() === 'BODY')?.text ?? '');
      // Media headers and button parameters cannot be proposed from a question: only body-only templates.
      if (schema.header || schema.buttons.length || !body) return null;
      const shared = [...words(body)].filter((w) => asked.has(w)).length;
      return { row, body, params: schema.body, shared };
    })
    .filter(Boolean) as { row: any; body: string; params: string[]; shared: number }[];
  const best = candidates.sort((a, b) => b.shared - a.shared)[0];
  if (!best) return null;
  const values = best.params.map((_, i) => ({ type: 'text' as const, text: i === 0 && customerName ? customerName : '' }));
  return { name: best.row.name, language: best.row.language, body: best.body, params: { body: values } };
};
