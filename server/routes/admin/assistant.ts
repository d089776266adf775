import { guard } from './guard';

export default [
  { method: 'GET', path: '/assistant/settings', handler: 'assistant.getSettings', config: guard('assistantManage') },
  { method: 'PUT', path: '/assistant/settings', handler: 'assistant.saveSettings', config: guard('assistantManage') },
  // Staff who may answer a conversation may ask for a draft of the answer; the service checks the team.
  { method: 'POST', path: '/conversations/:id/suggest', handler: 'assistant.suggest', config: guard('inboxRead', 'inboxSend') },
  { method: 'POST', path: '/assistant/suggestions/:id/outcome', handler: 'assistant.outcome', config: guard('inboxRead', 'inboxSend') },
];
