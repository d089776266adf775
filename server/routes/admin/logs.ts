import { guard } from './guard';

export default [
  { method: 'GET', path: '/logs/webhooks', handler: 'logs.webhooks', config: guard('logsRead') },
  { method: 'POST', path: '/logs/webhooks/replay', handler: 'logs.replayRange', config: guard('logsRead', 'logsReplay') },
  { method: 'GET', path: '/logs/webhooks/:id', handler: 'logs.webhook', config: guard('logsRead') },
  { method: 'POST', path: '/logs/webhooks/:id/replay', handler: 'logs.replay', config: guard('logsRead', 'logsReplay') },
  { method: 'GET', path: '/logs/api', handler: 'logs.apiCalls', config: guard('logsRead') },
];
