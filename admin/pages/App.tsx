import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import BotsPage from './Bots/BotsPage';
import CampaignBuilderPage from './Campaigns/CampaignBuilderPage';
import CampaignDetailPage from './Campaigns/CampaignDetailPage';
import CampaignsPage from './Campaigns/CampaignsPage';
import ConsentsPage from './Consents/ConsentsPage';
import InboxPage from './Inbox/InboxPage';
import LogsPage from './Logs/LogsPage';
import NotificationsPage from './Notifications/NotificationsPage';
import TemplatesPage from './Templates/TemplatesPage';

/**
 * The plugin's main page (the WhatsApp menu entry): the inbox, and beside it the templates, the CRM
 * event rules, the campaigns, the bots and the logs, each behind its own permission. PluginNav links them.
 */
const App = () => (
  <Routes>
    <Route index element={<InboxPage />} />
    <Route path="templates" element={<TemplatesPage />} />
    <Route path="notifications" element={<NotificationsPage />} />
    <Route path="campaigns" element={<CampaignsPage />} />
    <Route path="campaigns/new" element={<CampaignBuilderPage />} />
    <Route path="campaigns/:id" element={<CampaignDetailPage />} />
    <Route path="campaigns/:id/edit" element={<CampaignBuilderPage />} />
    <Route path="consents" element={<ConsentsPage />} />
    <Route path="bots" element={<BotsPage />} />
    <Route path="logs" element={<LogsPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
