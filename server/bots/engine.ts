/**
 * The bot engine: one pure decision per customer message, used by the runtime and by
 * `POST /whatsapp/bots/test` alike, in the order of `BOT_PRECEDENCE` (contracts/bots.ts).
 */
import { BOT_PRECEDENCE, STAGE_OF_TRIGGER, type Bot, type BotResponse, type BotStage, type ConversationOwner } from '../../contracts/bots';
import type { BotConsidered, TestBots } from '../../contracts/bot-api';
import { consentKeyword } from '../../contracts/consent';
import { matchText } from './match';
import { pickInMenu, type MenuState } from './menu';
import { outgoingOf } from './render';

export interface EngineState {
  owner: ConversationOwner;
  staffAt: Date | null;
  menu: MenuState | null;
  hourStart: Date | null;
  hourCount: number;
  outOfHoursPeriod: string | null;
}

export interface EngineInput {
  text: string;
  replyId?: string | null;
  /** The number's bots (inactive ones are reported, never fired). */
  bots: Bot[];
  enabled: boolean;
  state: EngineState;
  facts: { firstMessage: boolean; newSession: boolean; open: boolean; period: string | null };
  now: Date;
  interactive?: boolean;
  optKeywords?: Parameters<typeof consentKeyword>[1];
}

export type Decision = TestBots.Response['data'] & {
  bot: Bot | null;
  /** The menu the conversation is in afterwards (undefined: unchanged). */
  menu?: MenuState | null;
  /** The conversation goes to the queue (the hourly cap was reached). */
  handoff: boolean;
};

const HOUR_MS = 3600_000;
const CONTEXT_ORDER = ['first-message', 'new-session', 'outside-hours', 'inside-hours'];

/** Bots in the order they are tried: stage, then priority, then id. */
export const ordered = (bots: Bot[]) =>
  bots
    .filter((b) => b.trigger.type in STAGE_OF_TRIGGER)
    .map((b) => ({ bot: b, stage: STAGE_OF_TRIGGER[b.trigger.type as keyof typeof STAGE_OF_TRIGGER] }))
    .sort(
      (a, b) =>
        BOT_PRECEDENCE.indexOf(a.stage) - BOT_PRECEDENCE.indexOf(b.stage) ||
        (a.stage === 'context' ? CONTEXT_ORDER.indexOf(a.bot.trigger.type) - CONTEXT_ORDER.indexOf(b.bot.trigger.type) : 0) ||
        a.bot.priority - b.bot.priority ||
        a.bot.id - b.bot.id
    );

const contextMatch = (bot: Bot, input: EngineInput): { matched: boolean; why: string } => {
  const { facts, state } = input;
  switch (bot.trigger.type) {
    case 'first-message':
      return facts.firstMessage ? { matched: true, why: 'the first message from this customer' } : { matched: false, why: 'the customer wrote before' };
    case 'new-session':
      return facts.newSession ? { matched: true, why: 'the first message of a new 24-hour session' } : { matched: false, why: 'the session is already open' };
    case 'inside-hours':
      return facts.open ? { matched: true, why: 'inside business hours' } : { matched: false, why: 'outside business hours' };
    case 'outside-hours':
      if (facts.open || !facts.period) return { matched: false, why: 'inside business hours' };
      if (state.outOfHoursPeriod === facts.period) return { matched: false, why: `already answered in this closed period (until ${facts.period})` };
      return { matched: true, why: `outside business hours (closed until ${facts.period})` };
    case 'fallback':
      return { matched: true, why: 'no other bot answered' };
    default:
      return { matched: false, why: 'not a message trigger' };
  }
};

/** Why bots keep quiet for this bot's limits, or null when it may answer. */
const stoppedFor = (bot: Bot, input: EngineInput): { why: string; handoff: boolean } | null => {
  const { state, now } = input;
  if (state.owner === 'human' && state.staffAt && now.getTime() < state.staffAt.getTime() + bot.limits.pauseAfterStaffMinutes * 60_000) {
    return { why: `a person answered at ${state.staffAt.toISOString()}: bots are paused for ${bot.limits.pauseAfterStaffMinutes} minutes`, handoff: false };
  }
  const count = state.hourStart && now.getTime() - state.hourStart.getTime() < HOUR_MS ? state.hourCount : 0;
  if (count >= bot.limits.maxPerHour) return { why: `${count} automatic replies in the last hour (the limit is ${bot.limits.maxPerHour}): handed to a person`, handoff: true };
  return null;
};

const none = (stage: BotStage, why: string, considered: BotConsidered[] = [], handoff = false): Decision => ({ fired: null, response: null, outgoing: null, stopped: { stage, why }, considered, bot: null, handoff });

export const decide = (input: EngineInput): Decision => {
  if (consentKeyword(input.text, input.optKeywords)) return none('opt-out', 'opt-out keyword');
  if (!input.enabled) return none('stopped', 'bots are switched off on this number');
  if (input.state.owner === 'queue') return none('stopped', 'the conversation waits for a person (handed off)');

  const considered: BotConsidered[] = [];
  const fire = (bot: Bot, stage: BotStage, why: string, response: BotResponse, menu?: MenuState | null): Decision => {
    const stop = stoppedFor(bot, input);
    if (stop) return none('stopped', stop.why, considered, stop.handoff);
    const next = menu !== undefined ? menu : response.type === 'menu' ? { botId: bot.id, path: [] } : input.state.menu ? null : undefined;
    return { fired: { botId: bot.id, name: bot.name, trigger: bot.trigger.type, stage, why }, response, outgoing: outgoingOf(response, input.interactive ?? true), stopped: null, considered, bot, menu: next, handoff: false };
  };

  const active = input.bots.filter((b) => b.active);
  const menuBot = input.state.menu ? active.find((b) => b.id === input.state.menu!.botId && b.response.type === 'menu') : undefined;
  for (const { bot, stage } of ordered(input.bots)) {
    // The menu stage sits between stop-bot and the text stages: try it once, when reaching the first later stage.
    if (menuBot && BOT_PRECEDENCE.indexOf(stage) > BOT_PRECEDENCE.indexOf('menu') && !considered.some((c) => c.stage === 'menu')) {
      const pick = pickInMenu(menuBot.response as Extract<BotResponse, { type: 'menu' }>, input.state.menu!, input.text, input.replyId);
      considered.push({ botId: menuBot.id, name: menuBot.name, trigger: menuBot.trigger.type, stage: 'menu', matched: Boolean(pick), why: pick?.why ?? 'the reply picks no item of the menu' });
      if (pick) return fire(menuBot, 'menu', pick.why, pick.response, pick.next);
    }
    if (!bot.active) {
      considered.push({ botId: bot.id, name: bot.name, trigger: bot.trigger.type, stage, matched: false, why: 'switched off' });
      continue;
    }
    const m = stage === 'context' || stage === 'fallback' ? contextMatch(bot, input) : matchText(bot.trigger, input.text);
    considered.push({ botId: bot.id, name: bot.name, trigger: bot.trigger.type, stage, matched: m.matched, why: m.why });
    if (m.matched) return fire(bot, stage, m.why, bot.response);
  }
  if (menuBot && !considered.some((c) => c.stage === 'menu')) {
    const pick = pickInMenu(menuBot.response as Extract<BotResponse, { type: 'menu' }>, input.state.menu!, input.text, input.replyId);
    considered.push({ botId: menuBot.id, name: menuBot.name, trigger: menuBot.trigger.type, stage: 'menu', matched: Boolean(pick), why: pick?.why ?? 'the reply picks no item of the menu' });
    if (pick) return fire(menuBot, 'menu', pick.why, pick.response, pick.next);
  }
  return none('fallback', 'no bot matched', considered);
};
