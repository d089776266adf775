import { guard } from './guard';

export default [
  { method: 'GET', path: '/assistant/knowledge', handler: 'assistant-knowledge.find', config: guard('assistantManage') },
  { method: 'POST', path: '/assistant/knowledge', handler: 'assistant-knowledge.create', config: guard('assistantManage') },
  { method: 'POST', path: '/assistant/knowledge/upload', handler: 'assistant-knowledge.upload', config: guard('assistantManage') },
  { method: 'POST', path: '/assistant/knowledge/reindex', handler: 'assistant-knowledge.reindex', config: guard('assistantManage') },
  { method: 'DELETE', path: '/assistant/knowledge/:id', handler: 'assistant-knowledge.delete', config: guard('assistantManage') },
];
