import logs from './logs';
import numbers from './numbers';
import settings from './settings';

export default () => ({
  type: 'admin',
  routes: [...numbers, ...settings, ...logs],
});
