import { Page, Layouts } from '@strapi/strapi/admin';
import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';

const App = () => {
  const { formatMessage } = useIntl();
  return (
    <Page.Protect permissions={PERMISSIONS.inbox}>
      <Layouts.Header title={formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'WhatsApp' })} />
      <Layouts.Content>
        <Typography>{formatMessage({ id: getTranslation('inbox.soon'), defaultMessage: 'The inbox arrives with the inbox API.' })}</Typography>
      </Layouts.Content>
    </Page.Protect>
  );
};

export default App;
