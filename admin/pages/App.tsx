import { Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Cog } from '@strapi/icons';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import { useTranslate } from '../hooks/useTranslate';
import { PERMISSIONS } from '../permissions';
import { PLUGIN_ID } from '../pluginId';

/** The plugin's main page (the inbox, later); for now it points to the numbers settings. */
const Home = () => {
  const t = useTranslate();
  const { allowedActions } = useRBAC(PERMISSIONS.readNumbers);

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'WhatsApp')}</Page.Title>
      <Layouts.Header title={t('plugin.name', 'WhatsApp')} />
      <Layouts.Content>
        <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
          <Flex direction="column" alignItems="flex-start" gap={4}>
            <Typography>{t('inbox.soon', 'The inbox arrives with the inbox API.')}</Typography>
            {allowedActions.canRead && (
              <>
                <Typography textColor="neutral600">
                  {t('home.numbers.hint', 'Connect your WhatsApp Business numbers in the settings first.')}
                </Typography>
                <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/numbers`} variant="secondary" startIcon={<Cog />}>
                  {t('home.numbers.link', 'Manage numbers')}
                </LinkButton>
              </>
            )}
          </Flex>
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
};

const App = () => (
  <Page.Protect permissions={PERMISSIONS.inbox}>
    <Home />
  </Page.Protect>
);

export default App;
