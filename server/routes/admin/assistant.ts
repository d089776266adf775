import { guard } from './guard';

export default [
  { method: 'GET', path: '/assistant/settings', handler: 'assistant.getSettings', config: guard('assistantManage') },
  { method: 'PUT', path: '/assistant/settings', handler: 'assistant.saveSettings', config: guard('assistantManage') },
  // The golden set lives in the settings (numbers[].golden); evaluating runs it, the latest run per number is kept.
  { method: 'POST', path: '/assistant/evaluate', handler: 'assistant.evaluate', config: guard('assistantManage') },
  { method: 'GET', path: '/assistant/evaluations', handler: 'assistant.evaluations', config: guard('assistantManage') },
  { method: 'GET', path: '/assistant/figures', handler: 'assistant.figures', config: guard('assistantManage') },
  // Staff who may answer a conversation may ask for a draft of the answer; the service checks the team.
  { method: 'POST', path: '/conversations/:id/suggest', handler: 'assistant.suggest', config: guard('inboxRead', 'inboxSend') },
  { method: 'POST', path: '/assistant/suggestions/:id/outcome', handler: 'assistant.outcome', config: guard('inboxRead', 'inboxSend') },
];
