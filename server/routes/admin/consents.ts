import { guard } from './guard';

export default [
  { method: 'GET', path: '/consents', handler: 'consents.list', config: guard('consentsRead') },
  { method: 'GET', path: '/consents/export', handler: 'consents.exportCsv', config: guard('consentsRead') },
  { method: 'GET', path: '/consents/:numberId/:phone', handler: 'consents.get', config: guard('consentsRead') },
  { method: 'PUT', path: '/consents/:numberId/:phone', handler: 'consents.set', config: guard('consentsRead', 'consentsManage') },
];
