import { guard } from './guard';

/** The host's schema is what any admin already sees in the Content-Type Builder: signed-in admins only. */
export default [
  { method: 'GET', path: '/host/content-types', handler: 'host.contentTypes', config: { policies: ['admin::isAuthenticatedAdmin'] } },
  // Records to start a conversation with: for those who may send, in the types they may read.
  { method: 'GET', path: '/host/recipients', handler: 'host.recipients', config: guard('inboxRead', 'inboxSend') },
];
