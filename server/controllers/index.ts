import numbers from './numbers';
import settings from './settings';
import webhooks from './webhooks';

export default { numbers, settings, webhooks };
