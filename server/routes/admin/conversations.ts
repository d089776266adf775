import { guard } from './guard';

export default [
  { method: 'GET', path: '/conversations', handler: 'conversations.find', config: guard('inboxRead') },
  { method: 'GET', path: '/conversations/:id', handler: 'conversations.findOne', config: guard('inboxRead') },
  { method: 'GET', path: '/conversations/:id/messages', handler: 'conversations.messages', config: guard('inboxRead') },
  { method: 'POST', path: '/conversations/:id/messages', handler: 'conversations.reply', config: guard('inboxRead', 'inboxSend') },
];
