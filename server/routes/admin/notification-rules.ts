import { guard } from './guard';

export default [
  { method: 'GET', path: '/notification-rules', handler: 'notification-rules.find', config: guard('notificationsRead') },
  { method: 'POST', path: '/notification-rules', handler: 'notification-rules.create', config: guard('notificationsManage') },
  { method: 'GET', path: '/notification-rules/:id', handler: 'notification-rules.findOne', config: guard('notificationsRead') },
  { method: 'PUT', path: '/notification-rules/:id', handler: 'notification-rules.update', config: guard('notificationsManage') },
  { method: 'DELETE', path: '/notification-rules/:id', handler: 'notification-rules.delete', config: guard('notificationsManage') },
  { method: 'POST', path: '/notification-rules/:id/test', handler: 'notification-rules.test', config: guard('notificationsManage') },
  { method: 'GET', path: '/notification-rules/:id/firings', handler: 'notification-rules.firings', config: guard('notificationsRead') },
];
