import numbers from './numbers';
import settings from './settings';

export default () => ({
  type: 'admin',
  routes: [...numbers, ...settings],
});
