import { Layouts, Page } from '@strapi/strapi/admin';
import { PluginNav } from '../../components/PluginNav';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

/** Placeholder: the page is being built (see the issue tracker). */
const Notifications = () => {
  const t = useTranslate();
  return (
    <Page.Main>
      <Page.Title>{t('nav.notifications', 'CRM events')}</Page.Title>
      <Layouts.Header title={t('nav.notifications', 'CRM events')} navigationAction={<PluginNav />} />
      <Layouts.Content>{null}</Layouts.Content>
    </Page.Main>
  );
};

const NotificationsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readNotifications}>
    <Notifications />
  </Page.Protect>
);

export default NotificationsPage;
