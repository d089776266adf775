/** Stored bots, per-number settings and per-conversation state, read into the engine's shapes. */
import type { Core } from '@strapi/strapi';
import { DEFAULT_BOT_LIMITS, type Bot, type BotNumberSettings } from '../../contracts/bots';
import { UID } from '../constants';
import { briefCache } from '../brief-cache';
import type { EngineState } from './engine';

type Row = Record<string, any>;

export const botOut = (row: Row): Bot => ({
  id: row.id,
  name: row.name,
  numberId: row.numberId,
  active: row.active !== false,
  priority: row.priority ?? 0,
  trigger: row.trigger,
  response: row.response,
  limits: { ...DEFAULT_BOT_LIMITS, ...(row.limits ?? {}) },
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const numberSettingsOut = (numberId: number, row: Row | null): BotNumberSettings => ({
  numberId,
  enabled: Boolean(row?.enabled),
  businessHours: row?.businessHours ?? null,
  holidays: row?.holidays ?? [],
});

export const engineState = (row: Row | null): EngineState => ({
  owner: row?.owner ?? 'bot',
  staffAt: row?.staffAt ? new Date(row.staffAt) : null,
  menu: row?.menu ?? null,
  hourStart: row?.hourStart ? new Date(row.hourStart) : null,
  hourCount: row?.hourCount ?? 0,
  outOfHoursPeriod: row?.outOfHoursPeriod ?? null,
});

export const createRows = (strapi: Core.Strapi) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const switches = briefCache<number, BotNumberSettings>();
  return {
    /** The number's bots in stored order (the engine orders them by precedence). */
    async botsOf(numberId: number): Promise<Bot[]> {
      return (await q(UID.bot).findMany({ where: { numberId }, orderBy: [{ priority: 'asc' }, { id: 'asc' }] })).map(botOut);
    },
    /** Read on every customer message, so kept briefly; `forgetNumber` after a write. */
    async numberSettings(numberId: number): Promise<BotNumberSettings> {
      return switches.get(numberId, async () => numberSettingsOut(numberId, await q(UID.botNumber).findOne({ where: { numberId } })));
    },
    forgetNumber: (numberId: number) => switches.clear(numberId),
    async state(conversationId: number): Promise<Row | null> {
      return q(UID.botState).findOne({ where: { conversationId } });
    },
    /** Changes a conversation's state, creating it the first time (two writers at once: the second updates). */
    async patchState(conversationId: number, numberId: number, data: Row): Promise<void> {
      const { count } = await q(UID.botState).updateMany({ where: { conversationId }, data });
      if (count) return;
      try {
        await q(UID.botState).create({ data: { conversationId, numberId, owner: 'bot', hourCount: 0, ...data } });
      } catch (error) {
        if (strapi.db.inTransaction()) throw error;
        await q(UID.botState).updateMany({ where: { conversationId }, data });
      }
    },
  };
};
