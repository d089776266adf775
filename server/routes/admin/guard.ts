import { actionId, type ActionKey } from '../../constants';

/** Every admin route: an authenticated admin holding all of the given plugin actions. */
export const guard = (...keys: ActionKey[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: keys.map(actionId) } },
    'plugin::whatsapp.no-nul',
  ],
});

/** An authenticated admin holding at least one of the given plugin actions. */
export const guardAny = (...keys: ActionKey[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'plugin::whatsapp.has-any-permission', config: { actions: keys } }, 'plugin::whatsapp.no-nul'],
});
