import { guard, guardAny } from './guard';

/** The host's types and fields, for the pages that map them: the settings and the CRM events rules. */
export default [
  { method: 'GET', path: '/host/content-types', handler: 'host.contentTypes', config: guardAny('settingsManage', 'notificationsRead', 'notificationsManage', 'assistantManage') },
  // Records to start a conversation with: for those who may send, in the types they may read.
  { method: 'GET', path: '/host/recipients', handler: 'host.recipients', config: guard('inboxRead', 'inboxSend') },
];
