import { guard, guardAny } from './guard';

export default [
  // Only the default number's id, for the pages that preselect it (New conversation, CRM-event rules).
  { method: 'GET', path: '/settings/default-number', handler: 'settings.defaultNumber', config: guardAny('inboxSend', 'notificationsRead', 'notificationsManage') },
  // The kinds' labels and what is switched on, for whoever reads the inbox (settings need settings.manage).
  { method: 'GET', path: '/settings/inbox', handler: 'settings.inbox', config: guard('inboxRead') },
  { method: 'GET', path: '/settings', handler: 'settings.find', config: guard('settingsManage') },
  { method: 'PUT', path: '/settings', handler: 'settings.update', config: guard('settingsManage') },
];
