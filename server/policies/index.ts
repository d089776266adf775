import type { ActionKey } from '../constants';
import { actionId } from '../constants';

/**
 * `admin::hasPermissions` asks for every listed action; a few read-only helpers serve several pages
 * (the host's schema is read by the settings and CRM events pages), so this one asks for any of them.
 */
const hasAnyPermission = (policyContext: any, config: { actions: ActionKey[] }) => {
  const ability = policyContext.state?.userAbility;
  return Boolean(ability) && config.actions.some((key) => ability.can(actionId(key)));
};

export default { 'has-any-permission': hasAnyPermission };
