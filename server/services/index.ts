import crypto from './crypto';
import identity from './identity';
import inbound from './inbound';
import logs from './logs';
import numbers from './numbers';
import realtime from './realtime';
import settings from './settings';
import webhooks from './webhooks';

export default { crypto, identity, inbound, logs, numbers, realtime, settings, webhooks };
