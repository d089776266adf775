import { Page } from '@strapi/strapi/admin';
import { useGetAssistantSettingsQuery } from '../../api';
import { EngineSection } from '../../components/assistant/EngineSection';
import { KnowledgeSection } from '../../components/assistant/KnowledgeSection';
import { PluginPage } from '../../components/PluginPage';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const Assistant = () => {
  const t = useTranslate();
  const settings = useGetAssistantSettingsQuery();
  return (
    <PluginPage title={t('assistant.title', 'AI assistant')} subtitle={t('assistant.subtitle', 'Drafts replies for staff from your knowledge base and the customer’s CRM record.')} queries={[settings]}>
      {settings.data && <EngineSection key={JSON.stringify(settings.data)} settings={settings.data} />}
      <KnowledgeSection />
    </PluginPage>
  );
};

/** Settings → WhatsApp → AI assistant: assistant.manage. */
const AssistantPage = () => (
  <Page.Protect permissions={PERMISSIONS.manageAssistant}>
    <Assistant />
  </Page.Protect>
);

export default AssistantPage;
