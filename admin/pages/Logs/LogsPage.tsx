import { Layouts, Page } from '@strapi/strapi/admin';
import { PluginNav } from '../../components/PluginNav';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

/** Placeholder: the page is being built (see the issue tracker). */
const Logs = () => {
  const t = useTranslate();
  return (
    <Page.Main>
      <Page.Title>{t('nav.logs', 'Logs')}</Page.Title>
      <Layouts.Header title={t('nav.logs', 'Logs')} navigationAction={<PluginNav />} />
      <Layouts.Content>{null}</Layouts.Content>
    </Page.Main>
  );
};

const LogsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readLogs}>
    <Logs />
  </Page.Protect>
);

export default LogsPage;
