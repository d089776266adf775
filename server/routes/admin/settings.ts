import { guard, guardAny } from './guard';

export default [
  // Only the default number's id, for the pages that preselect it (New conversation, CRM-event rules).
  { method: 'GET', path: '/settings/default-number', handler: 'settings.defaultNumber', config: guardAny('inboxSend', 'notificationsRead', 'notificationsManage') },
  { method: 'GET', path: '/settings', handler: 'settings.find', config: guard('settingsManage') },
  { method: 'PUT', path: '/settings', handler: 'settings.update', config: guard('settingsManage') },
];
