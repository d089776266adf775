import logs from './logs';
import numbers from './numbers';
import settings from './settings';
import templates from './templates';

export default () => ({
  type: 'admin',
  routes: [...numbers, ...settings, ...logs, ...templates],
});
