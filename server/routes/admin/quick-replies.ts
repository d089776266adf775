import { guard } from './guard';

export default [
  { method: 'GET', path: '/quick-replies', handler: 'quick-replies.find', config: guard('inboxRead') },
  { method: 'POST', path: '/quick-replies', handler: 'quick-replies.create', config: guard('quickRepliesManage') },
  { method: 'PUT', path: '/quick-replies/:id', handler: 'quick-replies.update', config: guard('quickRepliesManage') },
  { method: 'DELETE', path: '/quick-replies/:id', handler: 'quick-replies.delete', config: guard('quickRepliesManage') },
];
