/**
 * Bots at runtime: after a customer's message is committed, wait out the burst, run the engine on
 * its last message and act. Our own messages, echoes, receipts and replays never get here (the
 * inbound worker announces `message.created` only for a customer's new message).
 */
import type { Core } from '@strapi/strapi';
import type { BotNumberSettings } from '../../contracts/bots';
import type { BusinessHours } from '../../contracts/settings';
import { UID } from '../constants';
import { botReplyKey } from '../keys';
import type { NumberRow } from '../number-rows';
import type { CanonicalEvent } from '../providers';
import type { RealtimeEvent } from '../services/realtime';
import { getService } from '../utils';
import { createActor } from './act';
import { decide, type Decision } from './engine';
import { closedPeriod, openAt, type NumberHours } from '../business-hours';
import { createRows, engineState } from './rows';

const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
type Row = Record<string, any>;

/** A number's hours: its own, else the global ones, with its holidays. */
const hoursFrom = (settings: BotNumberSettings, global: BusinessHours | null): NumberHours => ({ hours: settings.businessHours ?? global, holidays: settings.holidays });

export const createRuntime = (strapi: Core.Strapi) => {
  const rows = createRows(strapi);
  const actor = createActor(strapi, rows);
  const q = (uid: string) => strapi.db.query(uid as any);
  const pending = new Set<Promise<unknown>>();
  const assistant = () => getService('assistant', { strapi });

  /** The engine's input for a conversation's message, from what is stored now. */
  const judge = async (numberId: number, conversationId: number | null, message: { id: number; text: string; replyId?: string | null; at: Date }, given: { firstMessage?: boolean; newSession?: boolean } = {}) => {
    const [bots, settings, global, number] = await Promise.all([rows.botsOf(numberId), rows.numberSettings(numberId), getService('settings', { strapi }).get(), q(UID.number).findOne({ where: { id: numberId } })]);
    const stateRow = conversationId ? await rows.state(conversationId) : null;
    let { firstMessage = false, newSession = false } = given;
    if (conversationId) {
      const burstFirst = stateRow?.burstFirstId ?? message.id;
      const first = await q(UID.message).findOne({ where: { id: burstFirst } });
      const before = await q(UID.message).findOne({ where: { conversationId, direction: 'in', id: { $lt: burstFirst } }, orderBy: { id: 'desc' }, select: ['id', 'createdAt'] });
      firstMessage = !before;
      newSession = !before || new Date(first?.createdAt ?? message.at).getTime() - new Date(before.createdAt).getTime() > DAY_MS;
    }
    const hours = hoursFrom(settings, global.businessHours);
    const interactive = number ? getService('provider-calls', { strapi }).for(number).capabilities.interactive : true;
    const decision = decide({
      text: message.text,
      replyId: message.replyId,
      bots,
      enabled: settings.enabled,
      state: engineState(stateRow),
      facts: { firstMessage, newSession, open: openAt(hours, message.at), period: closedPeriod(hours, message.at) },
      now: new Date(),
      interactive,
      optKeywords: global.consentKeywords,
    });
    return { decision, stateRow, interactive, period: closedPeriod(hours, message.at) };
  };

  /** Records what the engine decided on the conversation's state. */
  const record = async (conversationId: number, numberId: number, messageId: number, decision: Decision, stateRow: Row | null, period: string | null) => {
    const data: Row = { decidedId: messageId, burstFirstId: null, pendingReplyId: null };
    if (decision.menu !== undefined) data.menu = decision.menu;
    if (decision.handoff) Object.assign(data, { owner: 'queue', menu: null });
    if (decision.fired) {
      const now = new Date();
      const fresh = !stateRow?.hourStart || now.getTime() - new Date(stateRow.hourStart).getTime() >= HOUR_MS;
      Object.assign(data, fresh ? { hourStart: now, hourCount: 1 } : { hourCount: (stateRow?.hourCount ?? 0) + 1 });
      // A paused conversation whose pause ran out is the bots' again.
      if (stateRow?.owner === 'human') data.owner = 'bot';
      if (decision.fired.trigger === 'outside-hours') data.outOfHoursPeriod = period;
    }
    await rows.patchState(conversationId, numberId, data);
  };

  /** Decides on the conversation's last customer message, if `messageId` still is it. */
  const decideOn = async (numberId: number, conversationId: number, messageId: number) => {
    const last = await q(UID.message).findOne({ where: { conversationId, direction: 'in' }, orderBy: { id: 'desc' }, select: ['id', 'text', 'createdAt'] });
    if (!last || last.id !== messageId) return; // a later message of the burst decides
    const stateRow = await rows.state(conversationId);
    if (stateRow?.decidedId && stateRow.decidedId >= messageId) return;
    const { decision, interactive, period } = await judge(numberId, conversationId, { id: messageId, text: last.text ?? '', replyId: stateRow?.pendingReplyId ?? null, at: new Date(last.createdAt) });
    await record(conversationId, numberId, messageId, decision, stateRow, period);
    // An `ai` response is the assistant's to answer where the number is in auto mode; elsewhere it hands off.
    if (decision.fired && decision.response?.type === 'ai' && (await assistant().autoAnswer(conversationId, messageId))) return;
    if (decision.fired && decision.bot && decision.response) await actor.act(decision.bot, decision.response, conversationId, botReplyKey(messageId), interactive);
    // No bot answered and none holds the conversation (a menu, a handoff): the assistant may.
    else if (!decision.fired && !decision.handoff && !stateRow?.menu) await assistant().autoAnswer(conversationId, messageId);
  };

  const track = (work: Promise<unknown>) => {
    const p = work.catch((error: Error) => strapi.log.warn(`[whatsapp] bot answer failed: ${error.message}`)).finally(() => pending.delete(p));
    pending.add(p);
    return p;
  };

  return {
    rows,
    actor,
    judge,
    /** The hours a number's closed periods are judged by (bots and the out-of-hours reply alike). */
    async hoursOf(numberId: number): Promise<NumberHours> {
      return hoursFrom(await rows.numberSettings(numberId), (await getService('settings', { strapi }).get()).businessHours);
    },

    async afterInbound(number: NumberRow, event: CanonicalEvent, published: RealtimeEvent[]) {
      if (event.kind !== 'message' || event.type === 'reaction') return;
      const created = published.find((e): e is Extract<RealtimeEvent, { type: 'message.created' }> => e.type === 'message.created');
      if (!created) return;
      const { conversationId, messageId } = created;
      const settings = await rows.numberSettings(number.id);
      const bots = settings.enabled ? (await rows.botsOf(number.id)).filter((b) => b.active) : [];
      // Without bots the assistant's automatic answer runs alone, off the webhook's path.
      if (!bots.length) {
        if (await assistant().autoActive(number.id)) track(assistant().autoAnswer(conversationId, messageId));
        return;
      }
      const state = await rows.state(conversationId);
      await rows.patchState(conversationId, number.id, { burstFirstId: state?.burstFirstId ?? messageId, pendingReplyId: event.interactive?.id ?? null });
      const wait = Math.max(...bots.map((b) => b.limits.debounceMs));
      const run = () => decideOn(number.id, conversationId, messageId);
      if (!wait) await track(run());
      else track(new Promise((resolve) => setTimeout(resolve, wait).unref()).then(run));
    },

    /** A person wrote in the conversation: bots pause there, and their replies still queued are dropped. */
    async staffReplied(conversationId: number, numberId: number) {
      await rows.patchState(conversationId, numberId, { owner: 'human', staffAt: new Date(), menu: null });
    },

    /** Resolves once every answer in progress is done (tests and shutdown). */
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
};
