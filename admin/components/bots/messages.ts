import type { Bot, BotResponseType, BotStage, BotTriggerType } from '../../../contracts/bots';
import type { Translate } from '../../hooks/useTranslate';

export const triggerLabel = (t: Translate, type: BotTriggerType): string =>
  ({
    'asks-human': t('bots.trigger.asksHuman', 'Asks for a human'),
    exact: t('bots.trigger.exact', 'Is exactly'),
    'starts-with': t('bots.trigger.startsWith', 'Starts with'),
    contains: t('bots.trigger.contains', 'Contains'),
    regex: t('bots.trigger.regex', 'Regular expression'),
    keywords: t('bots.trigger.keywords', 'Keywords with synonyms'),
    'first-message': t('bots.trigger.firstMessage', 'First message ever'),
    'new-session': t('bots.trigger.newSession', 'First message of a new 24-hour session'),
    'outside-hours': t('bots.trigger.outsideHours', 'Outside business hours'),
    'inside-hours': t('bots.trigger.insideHours', 'Inside business hours'),
    fallback: t('bots.trigger.fallback', 'Anything no other bot answered'),
    idle: t('bots.trigger.idle', 'Customer idle (nudge)'),
    'no-staff-reply': t('bots.trigger.noStaffReply', 'No staff reply'),
    closed: t('bots.trigger.closed', 'Conversation closed (rating request)'),
  })[type];

export const responseLabel = (t: Translate, type: BotResponseType): string =>
  ({
    text: t('bots.response.text', 'Text'),
    template: t('bots.response.template', 'Template'),
    media: t('bots.response.media', 'Image, video, audio or document'),
    location: t('bots.response.location', 'Location'),
    contact: t('bots.response.contact', 'Contact card'),
    buttons: t('bots.response.buttons', 'Reply buttons'),
    list: t('bots.response.list', 'List menu'),
    menu: t('bots.response.menu', 'Multi-level menu'),
    assign: t('bots.response.assign', 'Assign to a team or person'),
    ticket: t('bots.response.ticket', 'Create a ticket'),
    'set-field': t('bots.response.setField', 'Set a CRM field'),
    handoff: t('bots.response.handoff', 'Hand off to a human'),
    ai: t('bots.response.ai', 'Ask the AI assistant'),
  })[type];

export const stageLabel = (t: Translate, stage: BotStage | null): string =>
  stage === null
    ? t('bots.stage.timed', 'Timed (not tried for messages)')
    : {
        'opt-out': t('bots.stage.optOut', 'Opt-out keywords (STOP, START): no bot answers'),
        stopped: t('bots.stage.stopped', 'Bots off, a human owns the conversation, or the hourly cap: no bot answers'),
        'stop-bot': t('bots.stage.stopBot', 'Asks for a human'),
        menu: t('bots.stage.menu', 'A pick from the menu the customer is in'),
        exact: t('bots.stage.exact', 'Exact text'),
        'starts-with': t('bots.stage.startsWith', 'Starts with'),
        regex: t('bots.stage.regex', 'Regular expression'),
        contains: t('bots.stage.contains', 'Contains'),
        synonyms: t('bots.stage.synonyms', 'Keywords and synonyms'),
        context: t('bots.stage.context', 'First message, new session, business hours'),
        fallback: t('bots.stage.fallback', 'Fallback'),
      }[stage];

/** One line saying what fires the bot: its trigger and what it listens for. */
export const triggerSummary = (t: Translate, bot: Bot): string => {
  const { trigger } = bot;
  const label = triggerLabel(t, trigger.type);
  if (trigger.keywords?.length) return `${label}: ${trigger.keywords.join(', ')}`;
  if (trigger.pattern) return `${label}: /${trigger.pattern}/`;
  if (trigger.minutes) return `${label}: ${t('bots.minutes', '{n} min', { n: trigger.minutes })}`;
  return label;
};
