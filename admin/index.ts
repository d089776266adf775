import { PLUGIN_ID } from './pluginId';
import { PERMISSIONS } from './permissions';
import { PluginIcon } from './components/PluginIcon';
import { getTranslation } from './utils/getTranslation';

type TranslationModule = { default: Record<string, string> };

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'WhatsApp' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.inbox,
    });

    app.addSettingsLink({ id: PLUGIN_ID, intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'WhatsApp' } }, [
      {
        id: 'whatsapp-numbers',
        to: `${PLUGIN_ID}/numbers`,
        intlLabel: { id: getTranslation('settings.numbers.link'), defaultMessage: 'Numbers' },
        Component: () => import('./pages/Settings/NumbersPage'),
        permissions: PERMISSIONS.readNumbers,
      },
      {
        id: 'whatsapp-general',
        to: `${PLUGIN_ID}/general`,
        intlLabel: { id: getTranslation('settings.general.link'), defaultMessage: 'General' },
        Component: () => import('./pages/Settings/GeneralPage'),
        permissions: PERMISSIONS.settings,
      },
      {
        id: 'whatsapp-quick-replies',
        to: `${PLUGIN_ID}/quick-replies`,
        intlLabel: { id: getTranslation('settings.quickReplies.link'), defaultMessage: 'Quick replies' },
        Component: () => import('./pages/Settings/QuickRepliesPage'),
        // Any one of them shows the link (Strapi's rule): inbox users read the list, managers edit it.
        permissions: [...PERMISSIONS.inbox, ...PERMISSIONS.manageQuickReplies],
      },
      {
        id: 'whatsapp-assistant',
        to: `${PLUGIN_ID}/assistant`,
        intlLabel: { id: getTranslation('settings.assistant.link'), defaultMessage: 'AI assistant' },
        Component: () => import('./pages/Settings/AssistantPage'),
        permissions: PERMISSIONS.manageAssistant,
      },
    ]);

    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          return {
            locale,
            data: Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value])),
          };
        } catch {
          return { locale, data: {} };
        }
      })
    );
  },
};
