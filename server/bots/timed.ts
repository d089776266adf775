/**
 * Bots fired by time or by a change, not by a message: `idle` (the customer has not answered our
 * last message for N minutes), `no-staff-reply` (no person answered the customer for N minutes),
 * and `closed` (the conversation was closed). Each fires once per message it follows up (its key).
 */
import type { Core } from '@strapi/strapi';
import type { Bot } from '../../contracts/bots';
import { UID } from '../constants';
import { botTimedKey } from '../keys';
import { getService } from '../utils';
import { botOut } from './rows';
import type { createRuntime } from './runtime';

const DAY_MS = 24 * 3600_000;
/** Conversations looked at per bot and tick; the next tick takes the rest. */
const BATCH = 200;

export const createTimed = (strapi: Core.Strapi, runtime: ReturnType<typeof createRuntime>) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const interactiveOf = async (numberId: number) => {
    const number = await q(UID.number).findOne({ where: { id: numberId } });
    return number ? getService('provider-calls', { strapi }).for(number).capabilities.interactive : true;
  };

  /** Whether bots may speak in the conversation now (not handed off, not paused by a person). */
  const mayAnswer = async (bot: Bot, conversationId: number) => {
    const state = await runtime.rows.state(conversationId);
    if (!state || state.owner === 'bot') return true;
    if (state.owner === 'queue') return bot.trigger.type === 'no-staff-reply';
    return Boolean(state.staffAt && Date.now() >= new Date(state.staffAt).getTime() + bot.limits.pauseAfterStaffMinutes * 60_000);
  };

  const runBot = async (bot: Bot) => {
    const cutoff = new Date(Date.now() - (bot.trigger.minutes ?? 60) * 60_000);
    const conversations = await q(UID.conversation).findMany({
      where: { numberId: bot.numberId, state: 'open', windowExpiresAt: { $gt: new Date() }, lastMessageAt: { $lt: cutoff, $gt: new Date(Date.now() - DAY_MS) } },
      orderBy: { lastMessageAt: 'desc' },
      limit: BATCH,
      select: ['id', 'numberId'],
    });
    const interactive = await interactiveOf(bot.numberId);
    for (const c of conversations) {
      const last = await q(UID.message).findOne({ where: { conversationId: c.id }, orderBy: { id: 'desc' }, select: ['id', 'direction', 'source', 'payload'] });
      if (!last) continue;
      const idle = bot.trigger.type === 'idle';
      // idle: our message is the last word (a nudge is never nudged again); no-staff-reply: the customer's is.
      if (idle ? last.direction !== 'out' || last.payload?.bot?.trigger === 'idle' : last.direction !== 'in') continue;
      if (!(await mayAnswer(bot, c.id))) continue;
      // Once per message followed up, whatever the response: a silent hand-off or a ticket is not done again on the next tick.
      const marker = idle ? 'idleNudgedFor' : 'noStaffFor';
      if ((await runtime.rows.state(c.id))?.[marker] === last.id) continue;
      await runtime.rows.patchState(c.id, c.numberId, { [marker]: last.id });
      await runtime.actor.act(bot, bot.response, c.id, botTimedKey(bot.id, bot.trigger.type, last.id), interactive);
    }
  };

  return {
    /** The cron job: every active timed bot on numbers with bots on. */
    async tick() {
      const bots = (await q(UID.bot).findMany({ where: { active: true }, orderBy: [{ priority: 'asc' }, { id: 'asc' }] })).map(botOut).filter((b: Bot) => b.trigger?.type === 'idle' || b.trigger?.type === 'no-staff-reply');
      for (const bot of bots) {
        if (!(await runtime.rows.numberSettings(bot.numberId)).enabled) continue;
        await runBot(bot).catch((error: Error) => strapi.log.warn(`[whatsapp] timed bot ${bot.id}: ${error.message}`));
      }
    },

    /**
     * The conversation was closed: it is the bots' again (a hand-off, a person's pause, the hourly
     * count and the menu end with it), and the number's first `closed` bot answers (a rating request), once per close.
     */
    async closed(conversationId: number) {
      const conversation = await q(UID.conversation).findOne({ where: { id: conversationId } });
      if (!conversation) return;
      await runtime.rows.patchState(conversationId, conversation.numberId, { owner: 'bot', staffAt: null, menu: null, hourStart: null, hourCount: 0, burstFirstId: null });
      if (!(await runtime.rows.numberSettings(conversation.numberId)).enabled) return;
      const bot = (await runtime.rows.botsOf(conversation.numberId)).find((b) => b.active && b.trigger.type === 'closed');
      if (!bot) return;
      const last = await q(UID.message).findOne({ where: { conversationId }, orderBy: { id: 'desc' }, select: ['id'] });
      await runtime.actor.act(bot, bot.response, conversationId, botTimedKey(bot.id, 'closed', last?.id ?? 0), await interactiveOf(conversation.numberId));
    },
  };

};
