import { Page } from '@strapi/strapi/admin';
import { useGetAssistantSettingsQuery, useListEvaluationsQuery } from '../../api';
import { EngineSection } from '../../components/assistant/EngineSection';
import { EvaluationSection } from '../../components/assistant/EvaluationSection';
import { FiguresSection } from '../../components/assistant/FiguresSection';
import { KnowledgeSection } from '../../components/assistant/KnowledgeSection';
import { PluginPage } from '../../components/PluginPage';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const Assistant = () => {
  const t = useTranslate();
  const settings = useGetAssistantSettingsQuery();
  const evaluations = useListEvaluationsQuery();
  return (
    <PluginPage title={t('assistant.title', 'AI assistant')} subtitle={t('assistant.subtitle', 'Drafts replies for staff from your knowledge base and the customer’s CRM record, and answers on its own where a number’s evaluation passed.')} queries={[settings, evaluations]}>
      {settings.data && evaluations.data && <EngineSection key={JSON.stringify([settings.data, evaluations.data])} settings={settings.data} evaluations={evaluations.data} />}
      <KnowledgeSection />
      {settings.data && evaluations.data && <EvaluationSection settings={settings.data} evaluations={evaluations.data} />}
      <FiguresSection />
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
