import logs from './logs';
import numbers from './numbers';
import settings from './settings';
import templates from './templates';
import webhooks from './webhooks';

export default { logs, numbers, settings, templates, webhooks };
