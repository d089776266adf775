import { actionId, type ActionKey } from '../contracts/permissions';

const permission = (key: ActionKey) => [{ action: actionId(key), subject: null }];

/**
 * The admin's view of the server's actions, in the shape `useRBAC` and `Page.Protect` take.
 * `useRBAC(x).allowedActions` names each one `can` + the action's last segment (Read, Send, Sync…).
 */
export const PERMISSIONS = {
  inbox: permission('inboxRead'),
  sendMessages: permission('inboxSend'),
  assign: permission('inboxAssign'),
  readNumbers: permission('numbersRead'),
  manageNumbers: permission('numbersManage'),
  readTemplates: permission('templatesRead'),
  syncTemplates: permission('templatesSync'),
  readNotifications: permission('notificationsRead'),
  manageNotifications: permission('notificationsManage'),
  manageQuickReplies: permission('quickRepliesManage'),
  readCampaigns: permission('campaignsRead'),
  manageCampaigns: permission('campaignsManage'),
  launchCampaigns: permission('campaignsLaunch'),
  readConsents: permission('consentsRead'),
  manageConsents: permission('consentsManage'),
  readBots: permission('botsRead'),
  manageBots: permission('botsManage'),
  readLogs: permission('logsRead'),
  replayLogs: permission('logsReplay'),
  settings: permission('settingsManage'),
  manageAssistant: permission('assistantManage'),
  /** Strapi's own: attaching a file uploads it to the Media Library first. */
  uploadFiles: [{ action: 'plugin::upload.assets.create', subject: null }],
};
