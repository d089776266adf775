import { Flex, LinkButton } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import { NavLink, useLocation } from 'react-router-dom';
import { useTranslate } from '../hooks/useTranslate';
import { PERMISSIONS } from '../permissions';
import { PLUGIN_ID } from '../pluginId';

const BASE = `/plugins/${PLUGIN_ID}`;

/** Links between the plugin's pages, each shown only to users who may open it. */
export const PluginNav = () => {
  const t = useTranslate();
  const { pathname } = useLocation();
  const inbox = useRBAC(PERMISSIONS.inbox).allowedActions.canRead;
  const templates = useRBAC(PERMISSIONS.readTemplates).allowedActions.canRead;
  const notifications = useRBAC(PERMISSIONS.readNotifications).allowedActions.canRead;
  const campaigns = useRBAC(PERMISSIONS.readCampaigns).allowedActions.canRead;
  const consents = useRBAC(PERMISSIONS.readConsents).allowedActions.canRead;
  const bots = useRBAC(PERMISSIONS.readBots).allowedActions.canRead;
  const logs = useRBAC(PERMISSIONS.readLogs).allowedActions.canRead;

  const links = [
    { to: BASE, label: t('nav.inbox', 'Inbox'), allowed: inbox },
    { to: `${BASE}/templates`, label: t('nav.templates', 'Templates'), allowed: templates },
    { to: `${BASE}/notifications`, label: t('nav.notifications', 'CRM events'), allowed: notifications },
    { to: `${BASE}/campaigns`, label: t('nav.campaigns', 'Campaigns'), allowed: campaigns },
    { to: `${BASE}/consents`, label: t('nav.consents', 'Consent'), allowed: consents },
    { to: `${BASE}/bots`, label: t('nav.bots', 'Bots'), allowed: bots },
    { to: `${BASE}/logs`, label: t('nav.logs', 'Logs'), allowed: logs },
  ].filter((link) => link.allowed);

  return (
    <Flex tag="nav" aria-label={t('nav.label', 'WhatsApp pages')} gap={1} wrap="wrap">
      {links.map((link) => {
        const current = pathname.replace(/\/$/, '').endsWith(link.to);
        return (
          <LinkButton
            key={link.to}
            tag={NavLink}
            to={link.to}
            end
            size="S"
            variant={current ? 'secondary' : 'tertiary'}
            aria-current={current ? 'page' : undefined}
          >
            {link.label}
          </LinkButton>
        );
      })}
    </Flex>
  );
};
