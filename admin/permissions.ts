import { ACTIONS, type ActionKey } from '../server/constants';

const permission = (key: ActionKey) => [{ action: `plugin::whatsapp.${ACTIONS[key]}`, subject: null }];

/** The admin's view of the server's actions, in the shape `useRBAC` and `Page.Protect` take. */
export const PERMISSIONS = {
  inbox: permission('inboxRead'),
  sendMessages: permission('inboxSend'),
  readNumbers: permission('numbersRead'),
  manageNumbers: permission('numbersManage'),
};
