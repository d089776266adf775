import logs from './logs';
import conversations from './conversations';
import numbers from './numbers';
import settings from './settings';
import templates from './templates';

export default () => ({
  type: 'admin',
  routes: [...conversations, ...numbers, ...settings, ...logs, ...templates],
});
