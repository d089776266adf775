import crypto from './crypto';
import dispatcher from './dispatcher';
import hostSchema from './host-schema';
import identity from './identity';
import inbound from './inbound';
import inbox from './inbox';
import logs from './logs';
import media from './media';
import notifications from './notifications';
import numbers from './numbers';
import providerCalls from './provider-calls';
import quickReplies from './quick-replies';
import realtime from './realtime';
import settings from './settings';
import stream from './stream';
import templates from './templates';
import webhooks from './webhooks';

export default { crypto, dispatcher, 'host-schema': hostSchema, identity, inbound, inbox, logs, media, notifications, numbers, 'provider-calls': providerCalls, 'quick-replies': quickReplies, realtime, settings, stream, templates, webhooks };
