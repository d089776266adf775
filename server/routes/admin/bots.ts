import { guard } from './guard';

export default [
  { method: 'GET', path: '/bots', handler: 'bots.find', config: guard('botsRead') },
  { method: 'POST', path: '/bots', handler: 'bots.create', config: guard('botsManage') },
  { method: 'PUT', path: '/bots/order', handler: 'bots.order', config: guard('botsManage') },
  { method: 'POST', path: '/bots/test', handler: 'bots.test', config: guard('botsRead') },
  { method: 'GET', path: '/bots/numbers/:numberId', handler: 'bots.numberSettings', config: guard('botsRead') },
  { method: 'PUT', path: '/bots/numbers/:numberId', handler: 'bots.setNumberSettings', config: guard('botsManage') },
  { method: 'PUT', path: '/bots/:id', handler: 'bots.update', config: guard('botsManage') },
  { method: 'DELETE', path: '/bots/:id', handler: 'bots.delete', config: guard('botsManage') },
];
