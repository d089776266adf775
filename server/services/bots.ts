import type { Core } from '@strapi/strapi';
import { errors, yup } from '@strapi/utils';
import { BOT_LIMITS, BOT_PRECEDENCE, type Bot, type BotNumberSettings } from '../../contracts/bots';
import type { BotNumber, OrderBots, TestBots } from '../../contracts/bot-api';
import { createRuntime } from '../bots/runtime';
import { createTimed } from '../bots/timed';
import { checkAssignees, checkFreeForm, checkHostFields } from '../bots/host-fields';
import { botOut, numberSettingsOut } from '../bots/rows';
import { fail, validateBot, type ValidBot } from '../bots/validate';
import { UID } from '../constants';
import { toId } from '../ids';
import type { NumberRow } from '../number-rows';
import type { CanonicalEvent } from '../providers';
import type { ScopedUser } from './scope';
import type { RealtimeEvent } from './realtime';
import { businessHours as hoursSchema } from '../validation/settings';
import { getService } from '../utils';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The preview's message id: after every stored message, and still a valid PostgreSQL integer. */
const PREVIEW_ID = 2 ** 31 - 1;

/** Bots: CRUD, order and per-number switch (team-scoped), the preview (`test`) and the runtime hooks. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const runtime = createRuntime(strapi);
  const timed = createTimed(strapi, runtime);
  const scope = () => getService('scope', { strapi });

  const find = async (user: ScopedUser, id: unknown) => {
    const n = toId(id);
    const row = n ? await q(UID.bot).findOne({ where: { id: n } }) : null;
    if (!row || !(await scope().canSeeNumber(user, row.numberId))) throw new errors.NotFoundError('No bot with this id');
    return row;
  };
  const numberOf = async (user: ScopedUser, numberId: number, path = 'numberId') => {
    const number = await q(UID.number).findOne({ where: { id: numberId, deletedAt: null } });
    if (!number || !(await scope().canSeeNumber(user, numberId))) fail([path], 'names no WhatsApp number you can see');
    return number as NumberRow;
  };
  const data = (input: ValidBot) => ({ ...input, ...(input.name !== undefined ? { name: input.name.trim() } : {}) });

  return {
    async list(user: ScopedUser, numberId?: unknown): Promise<Bot[]> {
      const where: Record<string, unknown> = await scope().numberWhere(user);
      if (numberId !== undefined) {
        const n = toId(numberId);
        if (!n) fail(['numberId'], 'must be a number id');
        where.numberId = n;
        if (!(await scope().canSeeNumber(user, n))) return [];
      }
      return (await q(UID.bot).findMany({ where, orderBy: [{ numberId: 'asc' }, { priority: 'asc' }, { id: 'asc' }] })).map(botOut);
    },

    /** `userAbility`: the saving user's, so a `set-field` writes only what they could write in the Content Manager. */
    async create(user: ScopedUser, body: unknown, userAbility: unknown): Promise<Bot> {
      const input = validateBot(body, true);
      await checkHostFields(strapi, input.response, userAbility);
      checkFreeForm(strapi, await numberOf(user, input.numberId!), input.response);
      await checkAssignees(strapi, user, input.numberId!, input.response);
      const last = await q(UID.bot).findOne({ where: { numberId: input.numberId }, orderBy: { priority: 'desc' }, select: ['priority'] });
      return botOut(await q(UID.bot).create({ data: { active: true, priority: last ? last.priority + 1 : 0, limits: {}, ...data(input) } }));
    },

    async update(user: ScopedUser, id: unknown, body: unknown, userAbility: unknown): Promise<Bot> {
      const row = await find(user, id);
      const input = validateBot(body, false);
      await checkHostFields(strapi, input.response, userAbility);
      const number = input.numberId !== undefined && input.numberId !== row.numberId ? await numberOf(user, input.numberId) : await q(UID.number).findOne({ where: { id: row.numberId } });
      if (number) checkFreeForm(strapi, number, input.response ?? (input.numberId !== undefined ? botOut(row).response : undefined));
      await checkAssignees(strapi, user, input.numberId ?? row.numberId, input.response ?? (input.numberId !== undefined ? botOut(row).response : undefined));
      const limits = input.limits ? { ...(row.limits ?? {}), ...input.limits } : undefined;
      return botOut(await q(UID.bot).update({ where: { id: row.id }, data: { ...data(input), ...(limits ? { limits } : {}) } }));
    },

    async remove(user: ScopedUser, id: unknown) {
      const row = await find(user, id);
      await q(UID.bot).delete({ where: { id: row.id } });
      return { id: row.id as number };
    },

    /** Priorities from the order the editor shows (dragging): the listed bots become 0, 1, 2… */
    async order(user: ScopedUser, body: unknown): Promise<Bot[]> {
      const input = body as OrderBots.Request;
      if (!input || typeof input !== 'object' || !Number.isInteger(input.numberId)) fail(['numberId'], 'is required (a number id)');
      if (!Array.isArray(input.ids) || !input.ids.every((i) => Number.isInteger(i))) fail(['ids'], 'must be a list of bot ids');
      await numberOf(user, input.numberId);
      const bots = await q(UID.bot).findMany({ where: { numberId: input.numberId }, select: ['id'] });
      const known = new Set(bots.map((b: { id: number }) => b.id));
      const bad = input.ids.findIndex((i) => !known.has(i));
      if (bad >= 0) fail(['ids', String(bad)], 'is not a bot of this number');
      if (new Set(input.ids).size !== input.ids.length) fail(['ids'], 'lists a bot twice');
      for (const [priority, id] of input.ids.entries()) await q(UID.bot).update({ where: { id }, data: { priority } });
      return this.list(user, input.numberId);
    },

    async numberSettings(user: ScopedUser, numberId: unknown): Promise<BotNumberSettings> {
      const n = toId(numberId);
      if (!n) throw new errors.NotFoundError('No WhatsApp number with this id');
      await scope().assertNumberVisible(user, n);
      return runtime.rows.numberSettings(n);
    },

    async setNumberSettings(user: ScopedUser, numberId: unknown, body: unknown): Promise<BotNumberSettings> {
      const n = toId(numberId);
      if (!n) throw new errors.NotFoundError('No WhatsApp number with this id');
      await scope().assertNumberVisible(user, n);
      const input = (body ?? {}) as BotNumber.Request & Record<string, unknown>;
      if (typeof input !== 'object' || Array.isArray(input)) fail(['body'], 'must be an object');
      for (const k of Object.keys(input)) if (!['enabled', 'businessHours', 'holidays'].includes(k)) fail([k], 'is not a bot number setting');
      if (input.enabled !== undefined && typeof input.enabled !== 'boolean') fail(['enabled'], 'must be true or false');
      if (input.holidays !== undefined) {
        if (!Array.isArray(input.holidays) || input.holidays.length > BOT_LIMITS.holidays) fail(['holidays'], `must be a list of at most ${BOT_LIMITS.holidays} dates`);
        input.holidays.forEach((d, i) => (typeof d === 'string' && DAY.test(d) && !Number.isNaN(Date.parse(d)) ? null : fail(['holidays', String(i)], 'must be a date such as 2026-12-25')));
      }
      if (input.businessHours !== undefined && input.businessHours !== null) {
        try {
          await hoursSchema.validate(input.businessHours, { strict: true, abortEarly: true });
        } catch (error) {
          const e = error as yup.ValidationError;
          fail(['businessHours', ...(e.path ? e.path.split('.') : [])], e.message);
        }
      }
      const existing = await q(UID.botNumber).findOne({ where: { numberId: n } });
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const row = existing ? await q(UID.botNumber).update({ where: { id: existing.id }, data: patch }) : await q(UID.botNumber).create({ data: { numberId: n, enabled: false, holidays: [], ...patch } });
      runtime.rows.forgetNumber(n);
      return numberSettingsOut(n, row);
    },

    /** The preview: the runtime's engine on a typed message, nothing sent, nothing stored. */
    async test(user: ScopedUser, body: unknown): Promise<TestBots.Response['data']> {
      const input = body as TestBots.Request;
      if (!input || typeof input !== 'object') fail(['body'], 'must be an object');
      if (!Number.isInteger(input.numberId)) fail(['numberId'], 'is required (a number id)');
      if (typeof input.text !== 'string' || input.text.length > BOT_LIMITS.text) fail(['text'], `is required (text up to ${BOT_LIMITS.text} characters)`);
      const at = input.at === undefined ? new Date() : new Date(input.at);
      if (Number.isNaN(at.getTime())) fail(['at'], 'must be an ISO date-time');
      await numberOf(user, input.numberId);
      let conversationId: number | null = null;
      if (input.conversationId !== undefined) {
        const c = await q(UID.conversation).findOne({ where: { id: toId(input.conversationId) ?? 0, numberId: input.numberId } });
        if (!c) fail(['conversationId'], 'names no conversation of this number');
        conversationId = c.id;
      }
      const { decision } = await runtime.judge(input.numberId, conversationId, { id: PREVIEW_ID, text: input.text, replyId: input.replyId ?? null, at }, { firstMessage: Boolean(input.firstMessage), newSession: Boolean(input.newSession) });
      const { bot: _bot, menu: _menu, handoff: _handoff, ...out } = decision;
      return out;
    },

    precedence: BOT_PRECEDENCE,

    /* ---------- runtime hooks ---------- */
    afterInbound: async (number: NumberRow, event: CanonicalEvent, published: RealtimeEvent[]) => {
      try {
        await runtime.afterInbound(number, event, published);
      } catch (error) {
        // The customer's message is in already: a failed bot answer must not send the webhook row back for a retry.
        strapi.log.warn(`[whatsapp] bot answer on number ${number.id} not queued: ${(error as Error).message}`);
      }
    },
    /** Whether the number's own outside-hours bot answers there (then the global out-of-hours reply keeps quiet). */
    async answersOutsideHours(numberId: number) {
      if (!(await runtime.rows.numberSettings(numberId)).enabled) return false;
      return (await runtime.rows.botsOf(numberId)).some((b) => b.active && b.trigger.type === 'outside-hours');
    },
    hoursOf: (numberId: number) => runtime.hoursOf(numberId),
    staffReplied: (conversationId: number, numberId: number) => runtime.staffReplied(conversationId, numberId),
    closed: (conversationId: number) => timed.closed(conversationId).catch((error: Error) => strapi.log.warn(`[whatsapp] closed bot: ${error.message}`)),
    tick: () => timed.tick(),
    idle: () => runtime.idle(),
  };
};
