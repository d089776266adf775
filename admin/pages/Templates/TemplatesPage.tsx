import { Layouts, Page } from '@strapi/strapi/admin';
import { PluginNav } from '../../components/PluginNav';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

/** Placeholder: the page is being built (see the issue tracker). */
const Templates = () => {
  const t = useTranslate();
  return (
    <Page.Main>
      <Page.Title>{t('nav.templates', 'Templates')}</Page.Title>
      <Layouts.Header title={t('nav.templates', 'Templates')} navigationAction={<PluginNav />} />
      <Layouts.Content>{null}</Layouts.Content>
    </Page.Main>
  );
};

const TemplatesPage = () => (
  <Page.Protect permissions={PERMISSIONS.readTemplates}>
    <Templates />
  </Page.Protect>
);

export default TemplatesPage;
