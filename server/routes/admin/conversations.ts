import { guard } from './guard';

export default [
  { method: 'GET', path: '/conversations', handler: 'conversations.find', config: guard('inboxRead') },
  { method: 'GET', path: '/conversations/:id', handler: 'conversations.findOne', config: guard('inboxRead') },
  { method: 'GET', path: '/conversations/:id/messages', handler: 'conversations.messages', config: guard('inboxRead') },
  { method: 'POST', path: '/conversations', handler: 'conversations.start', config: guard('inboxRead', 'inboxSend') },
  { method: 'POST', path: '/conversations/:id/messages', handler: 'conversations.reply', config: guard('inboxRead', 'inboxSend') },
  { method: 'GET', path: '/assignees', handler: 'conversations.assignees', config: guard('inboxRead') },
  { method: 'POST', path: '/conversations/:id/assign', handler: 'conversations.assign', config: guard('inboxRead', 'inboxAssign') },
  { method: 'POST', path: '/conversations/:id/close', handler: 'conversations.close', config: guard('inboxRead', 'inboxAssign') },
  { method: 'POST', path: '/conversations/:id/reopen', handler: 'conversations.reopen', config: guard('inboxRead', 'inboxAssign') },
  { method: 'POST', path: '/conversations/:id/read', handler: 'conversations.read', config: guard('inboxRead') },
  { method: 'POST', path: '/conversations/:id/ticket', handler: 'conversations.ticket', config: guard('inboxRead', 'inboxAssign') },
];
