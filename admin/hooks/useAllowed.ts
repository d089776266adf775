import { useRBAC } from '@strapi/strapi/admin';
import type { PERMISSIONS } from '../permissions';

/** Whether the user holds one permission of `PERMISSIONS` (and whether that is still being found out). */
export const useAllowed = (permissions: (typeof PERMISSIONS)[keyof typeof PERMISSIONS]) => {
  const { isLoading, allowedActions } = useRBAC(permissions);
  return { isLoading, allowed: Object.values(allowedActions).some(Boolean) };
};
