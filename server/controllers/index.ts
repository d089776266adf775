import bots from './bots';
import assistant from './assistant';
import assistantKnowledge from './assistant-knowledge';
import campaigns from './campaigns';
import consents from './consents';
import host from './host';
import logs from './logs';
import mediaAccess from './media-access';
import notificationRules from './notification-rules';
import conversations from './conversations';
import numbers from './numbers';
import quickReplies from './quick-replies';
import settings from './settings';
import stream from './stream';
import templates from './templates';
import webhooks from './webhooks';

export default { assistant, 'assistant-knowledge': assistantKnowledge, bots, campaigns, consents, conversations, host, logs, 'media-access': mediaAccess, 'notification-rules': notificationRules, numbers, 'quick-replies': quickReplies, settings, stream, templates, webhooks };
