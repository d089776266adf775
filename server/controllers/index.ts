import logs from './logs';
import conversations from './conversations';
import numbers from './numbers';
import settings from './settings';
import templates from './templates';
import webhooks from './webhooks';

export default { conversations, logs, numbers, settings, templates, webhooks };
