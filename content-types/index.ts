import number from './number/schema.json';
import conversation from './conversation/schema.json';
import message from './message/schema.json';
import template from './template/schema.json';
import webhookEvent from './webhook-event/schema.json';
import apiLog from './api-log/schema.json';
import appliedEvent from './applied-event/schema.json';
import quickReply from './quick-reply/schema.json';
import notificationRule from './notification-rule/schema.json';
import notificationFiring from './notification-firing/schema.json';
import campaign from './campaign/schema.json';
import campaignOccurrence from './campaign-occurrence/schema.json';
import campaignRecipient from './campaign-recipient/schema.json';
import bot from './bot/schema.json';
import botNumber from './bot-number/schema.json';
import botState from './bot-state/schema.json';
import consent from './consent/schema.json';
import consentChange from './consent-change/schema.json';
import assistantSource from './assistant-source/schema.json';
import assistantChunk from './assistant-chunk/schema.json';
import assistantSuggestion from './assistant-suggestion/schema.json';

export default {
  number: { schema: number },
  conversation: { schema: conversation },
  message: { schema: message },
  template: { schema: template },
  'webhook-event': { schema: webhookEvent },
  'api-log': { schema: apiLog },
  'applied-event': { schema: appliedEvent },
  'quick-reply': { schema: quickReply },
  'notification-rule': { schema: notificationRule },
  'notification-firing': { schema: notificationFiring },
  campaign: { schema: campaign },
  'campaign-occurrence': { schema: campaignOccurrence },
  'campaign-recipient': { schema: campaignRecipient },
  bot: { schema: bot },
  'bot-number': { schema: botNumber },
  'bot-state': { schema: botState },
  consent: { schema: consent },
  'consent-change': { schema: consentChange },
  'assistant-source': { schema: assistantSource },
  'assistant-chunk': { schema: assistantChunk },
  'assistant-suggestion': { schema: assistantSuggestion },
};
