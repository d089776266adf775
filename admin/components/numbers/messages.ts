import type { CredentialField, Provider, ProviderIdField } from '../../../contracts/numbers';
import type { Translate } from '../../hooks/useTranslate';

export const providerName = (t: Translate, provider: Provider) => {
  switch (provider) {
    case 'meta':
      return t('numbers.provider.meta', 'Meta Cloud API');
    case 'gupshup':
      return t('numbers.provider.gupshup', 'Gupshup');
    case 'aisensy':
      return t('numbers.provider.aisensy', 'AiSensy');
    default:
      return provider;
  }
};

export const fieldLabel = (t: Translate, field: ProviderIdField | CredentialField) => {
  switch (field) {
    case 'phoneNumberId':
      return t('numbers.form.phoneNumberId.label', 'Phone number ID');
    case 'wabaId':
      return t('numbers.form.wabaId.label', 'WhatsApp Business Account ID');
    case 'appId':
      return t('numbers.form.appId.label', 'App ID (optional)');
    case 'appName':
      return t('numbers.form.appName.label', 'App name');
    case 'accessToken':
      return t('numbers.form.accessToken.label', 'Access token');
    case 'appSecret':
      return t('numbers.form.appSecret.label', 'App secret');
    case 'verifyToken':
      return t('numbers.form.verifyToken.label', 'Verify token');
    case 'apiKey':
      return t('numbers.form.apiKey.label', 'API key');
    case 'webhookSecret':
      return t('numbers.form.webhookSecret.label', 'Webhook secret (optional)');
    default:
      return field;
  }
};

/** Where to find each provider value, shown under its input. */
export const fieldHint = (t: Translate, provider: Provider, field: ProviderIdField | CredentialField): string | null => {
  if (provider === 'meta') {
    switch (field) {
      case 'phoneNumberId':
        return t('numbers.form.meta.phoneNumberId.hint', 'Meta App Dashboard → WhatsApp → API Setup, “Phone number ID”.');
      case 'wabaId':
        return t('numbers.form.meta.wabaId.hint', 'Meta App Dashboard → WhatsApp → API Setup, “WhatsApp Business Account ID”.');
      case 'appId':
        return t('numbers.form.meta.appId.hint', 'Meta App Dashboard → App settings → Basic, “App ID”.');
      case 'accessToken':
        return t(
          'numbers.form.meta.accessToken.hint',
          'A permanent system user token: Business Settings → Users → System users → Generate new token (whatsapp_business_messaging, whatsapp_business_management).'
        );
      case 'appSecret':
        return t('numbers.form.meta.appSecret.hint', 'Meta App Dashboard → App settings → Basic, “App secret”. Checks that webhooks come from Meta.');
      case 'verifyToken':
        return t(
          'numbers.form.meta.verifyToken.hint',
          'Any string you choose. Paste it, with the webhook URL, into Meta App Dashboard → WhatsApp → Configuration → Webhook.'
        );
      default:
        return null;
    }
  }
  if (provider === 'gupshup') {
    if (field === 'appName') return t('numbers.form.gupshup.appName.hint', 'The name of your app in the Gupshup dashboard.');
    if (field === 'apiKey') return t('numbers.form.gupshup.apiKey.hint', 'Gupshup dashboard → your profile menu → API key.');
    return null;
  }
  if (provider === 'aisensy' && field === 'apiKey') {
    return t('numbers.form.aisensy.apiKey.hint', 'AiSensy dashboard → Manage → API key.');
  }
  if (provider === 'aisensy' && field === 'webhookSecret') {
    return t(
      'numbers.form.aisensy.webhookSecret.hint',
      'Only if your AiSensy webhooks are signed: the shared secret from AiSensy’s webhook settings. Leave empty otherwise.'
    );
  }
  return null;
};
