import { Layouts, Page } from '@strapi/strapi/admin';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

/** Placeholder: the general settings page is being built (see the issue tracker). */
const General = () => {
  const t = useTranslate();
  return (
    <Page.Main>
      <Page.Title>{t('settings.general.link', 'General')}</Page.Title>
      <Layouts.Header title={t('settings.general.link', 'General')} />
      <Layouts.Content>{null}</Layouts.Content>
    </Page.Main>
  );
};

const GeneralPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <General />
  </Page.Protect>
);

export default GeneralPage;
