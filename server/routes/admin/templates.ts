import { guard } from './guard';

export default [
  { method: 'GET', path: '/templates', handler: 'templates.find', config: guard('templatesRead') },
  { method: 'POST', path: '/templates', handler: 'templates.register', config: guard('templatesRead', 'templatesSync') },
  { method: 'POST', path: '/templates/sync', handler: 'templates.sync', config: guard('templatesRead', 'templatesSync') },
  { method: 'GET', path: '/send-options', handler: 'templates.sendOptions', config: guard('inboxRead', 'inboxSend') },
];
