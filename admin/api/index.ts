/**
 * The admin panel's one data layer: every route the panel calls, typed by `contracts/`, cached by
 * RTK Query under tags that mutations and the inbox's live events invalidate.
 */
export * from './settings';
export * from './templates';
export * from './notifications';
export * from './logs';
export * from './inbox';
export * from './campaigns';
export * from './consents';
export * from './bots';
export * from './assistant';
export { errorOf, useApiAction, useErrorMessage, useNotifyError } from './errors';
