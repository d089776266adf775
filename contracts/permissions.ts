/**
 * The plugin's admin permission actions, shared by the server (which registers and checks them)
 * and the admin panel (which asks `useRBAC` about them), so the two never drift. Only features
 * that exist have actions: a role editor must not offer rights to pages that are not there.
 */
export const ACTIONS = {
  inboxRead: 'inbox.read',
  inboxSend: 'inbox.send',
  inboxAssign: 'inbox.assign',
  numbersRead: 'numbers.read',
  numbersManage: 'numbers.manage',
  templatesRead: 'templates.read',
  templatesSync: 'templates.sync',
  notificationsRead: 'notifications.read',
  notificationsManage: 'notifications.manage',
  quickRepliesManage: 'quick-replies.manage',
  campaignsRead: 'campaigns.read',
  campaignsManage: 'campaigns.manage',
  campaignsLaunch: 'campaigns.launch',
  botsRead: 'bots.read',
  botsManage: 'bots.manage',
  consentsRead: 'consents.read',
  consentsManage: 'consents.manage',
  logsRead: 'logs.read',
  logsReplay: 'logs.replay',
  settingsManage: 'settings.manage',
  assistantManage: 'assistant.manage',
} as const;

export type ActionKey = keyof typeof ACTIONS;

/** The full action id Strapi checks: `plugin::whatsapp.<action>`. */
export const actionId = (key: ActionKey) => `plugin::whatsapp.${ACTIONS[key]}`;

/** How Strapi's role editor shows each action: its group and its label. */
export const ACTION_LABELS: Record<ActionKey, { subCategory: string; displayName: string }> = {
  inboxRead: { subCategory: 'inbox', displayName: 'Read conversations' },
  inboxSend: { subCategory: 'inbox', displayName: 'Send messages' },
  inboxAssign: { subCategory: 'inbox', displayName: 'Assign and close conversations' },
  numbersRead: { subCategory: 'numbers', displayName: 'See numbers' },
  numbersManage: { subCategory: 'numbers', displayName: 'Add, edit and remove numbers' },
  templatesRead: { subCategory: 'templates', displayName: 'See templates' },
  templatesSync: { subCategory: 'templates', displayName: 'Sync templates' },
  notificationsRead: { subCategory: 'notifications', displayName: 'See notification rules' },
  notificationsManage: { subCategory: 'notifications', displayName: 'Edit notification rules' },
  quickRepliesManage: { subCategory: 'quick replies', displayName: 'Edit quick replies' },
  campaignsRead: { subCategory: 'campaigns', displayName: 'See campaigns and their results' },
  campaignsManage: { subCategory: 'campaigns', displayName: 'Create, edit and remove campaigns' },
  campaignsLaunch: { subCategory: 'campaigns', displayName: 'Launch, pause, resume and cancel campaigns' },
  botsRead: { subCategory: 'bots', displayName: 'See bots and try them' },
  botsManage: { subCategory: 'bots', displayName: 'Create, edit, order and switch bots' },
  consentsRead: { subCategory: 'consents', displayName: 'See customers\' consent' },
  consentsManage: { subCategory: 'consents', displayName: 'Opt customers out and back in' },
  logsRead: { subCategory: 'logs', displayName: 'Read webhook and API logs' },
  logsReplay: { subCategory: 'logs', displayName: 'Replay stored webhooks' },
  settingsManage: { subCategory: 'settings', displayName: 'Change settings' },
  assistantManage: { subCategory: 'assistant', displayName: 'Configure the AI assistant and its knowledge' },
};
