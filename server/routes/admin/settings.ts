import { guard } from './guard';

export default [
  { method: 'GET', path: '/settings', handler: 'settings.find', config: guard('settingsManage') },
  { method: 'PUT', path: '/settings', handler: 'settings.update', config: guard('settingsManage') },
];
