import logs from './logs';
import numbers from './numbers';
import settings from './settings';
import webhooks from './webhooks';

export default { logs, numbers, settings, webhooks };
