import { guard, guardAny } from './guard';

export default [
  { method: 'GET', path: '/campaigns', handler: 'campaigns.find', config: guard('campaignsRead') },
  { method: 'POST', path: '/campaigns', handler: 'campaigns.create', config: guard('campaignsManage') },
  { method: 'GET', path: '/campaigns/:id', handler: 'campaigns.findOne', config: guard('campaignsRead') },
  { method: 'PUT', path: '/campaigns/:id', handler: 'campaigns.update', config: guard('campaignsManage') },
  { method: 'DELETE', path: '/campaigns/:id', handler: 'campaigns.delete', config: guard('campaignsManage') },
  { method: 'POST', path: '/campaigns/:id/preflight', handler: 'campaigns.preflight', config: guardAny('campaignsManage', 'campaignsLaunch') },
  { method: 'POST', path: '/campaigns/:id/launch', handler: 'campaigns.launch', config: guard('campaignsLaunch') },
  { method: 'POST', path: '/campaigns/:id/pause', handler: 'campaigns.pause', config: guard('campaignsLaunch') },
  { method: 'POST', path: '/campaigns/:id/resume', handler: 'campaigns.resume', config: guard('campaignsLaunch') },
  { method: 'POST', path: '/campaigns/:id/cancel', handler: 'campaigns.cancel', config: guard('campaignsLaunch') },
  { method: 'POST', path: '/campaigns/:id/test-send', handler: 'campaigns.testSend', config: guard('campaignsManage') },
  { method: 'POST', path: '/campaigns/:id/retry-failed', handler: 'campaigns.retryFailed', config: guard('campaignsLaunch') },
  { method: 'GET', path: '/campaigns/:id/recipients', handler: 'campaigns.recipients', config: guard('campaignsRead') },
  { method: 'GET', path: '/campaigns/:id/recipients.csv', handler: 'campaigns.recipientsCsv', config: guard('campaignsRead') },
];
