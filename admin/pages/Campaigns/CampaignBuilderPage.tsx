import * as React from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import type { Campaign, PreflightResult } from '../../../contracts/campaigns';
import {
  errorOf,
  useGetCampaignQuery,
  useGetDefaultNumberQuery,
  useLaunchCampaignMutation,
  useListHostTypesQuery,
  useListNumbersQuery,
  useNotifyError,
  usePreflightCampaignMutation,
  useSaveCampaignMutation,
} from '../../api';
import { AudienceSection } from '../../components/campaigns/builder/AudienceSection';
import { GeneralSection } from '../../components/campaigns/builder/GeneralSection';
import { OptionsSection } from '../../components/campaigns/builder/OptionsSection';
import { ParametersSection } from '../../components/campaigns/builder/ParametersSection';
import { ScheduleSection } from '../../components/campaigns/builder/ScheduleSection';
import type { CampaignSectionProps } from '../../components/campaigns/builder/shared';
import { audienceTypes, campaignErrorsOf, csvColumns, emptyCampaignValues, toCampaignBody, valuesFromCampaign, type CampaignFormValues } from '../../components/campaigns/form';
import { PreflightPanel } from '../../components/campaigns/PreflightPanel';
import { fieldPaths, slotsOf, templateKey } from '../../components/notifications/form';
import { useApprovedTemplates } from '../../components/notifications/useTemplates';
import { PageStatus } from '../../components/PageStatus';
import { PluginPage } from '../../components/PluginPage';
import { useAllowed } from '../../hooks/useAllowed';
import { useFormState } from '../../hooks/useFormState';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { PLUGIN_ID } from '../../pluginId';

export const CAMPAIGNS_PATH = `/plugins/${PLUGIN_ID}/campaigns`;

/** `audience` and `audience.contentType` are related both ways; `audience.csv` and `audience.contentType` are not. */
const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

interface BuilderProps {
  campaign: Campaign | null;
  initial: CampaignFormValues;
}

/** The form itself, mounted once its initial values are known. */
const Builder = ({ campaign, initial }: BuilderProps) => {
  const t = useTranslate();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const { toggleNotification } = useNotification();
  const { allowed: canLaunch } = useAllowed(PERMISSIONS.launchCampaigns);
  const hostTypes = useListHostTypesQuery();
  const { data: numbers = [] } = useListNumbersQuery();
  const [saveCampaign, { isLoading: saving }] = useSaveCampaignMutation();
  const [preflight, { isLoading: checking }] = usePreflightCampaignMutation();
  const [launch, { isLoading: launching }] = useLaunchCampaignMutation();
  const [savedId, setSavedId] = React.useState<number | null>(campaign?.id ?? null);
  const [result, setResult] = React.useState<PreflightResult | null>(null);
  const [spread, setSpread] = React.useState(campaign?.options.spreadOverDays ?? false);
  const { values, setValues, errors, setErrors, reject } = useFormState<CampaignFormValues>(initial);

  const templates = useApprovedTemplates(values.numberId);
  const template = templates.templates.find((tpl) => templateKey(tpl) === values.template);
  const slots = slotsOf(template);
  const types = audienceTypes(hostTypes.data ?? []);
  const type = types.find((ty) => ty.uid === values.contentType);
  const columns = values.csv !== null ? csvColumns(values.csv) : values.csvSaved?.columns ?? [];
  const change = (patch: Partial<CampaignFormValues>, errorKey: string) => {
    setValues((prev) => ({ ...prev, ...patch }));
    // The server names a field (`template.name`) or its object (`audience`): a change answers both.
    setErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([key]) => key !== 'form' && !related(key, errorKey))));
    setResult(null);
  };
  const section: CampaignSectionProps = { values, errors, set: (key, value, errorKey) => change({ [key]: value } as Partial<CampaignFormValues>, errorKey ?? String(key)), change };

  /** Saves the form; answers the campaign's id, or null when the server refused it (its errors beside the fields). */
  const save = async () => {
    try {
      const saved = await saveCampaign({ id: savedId, body: toCampaignBody(values, slots, type) }).unwrap();
      setSavedId(saved.id);
      // The CSV is on the server now: later saves keep it unless another is read.
      setValues((prev) => ({ ...prev, csv: null, csvSaved: saved.audience.csv }));
      return saved.id;
    } catch (error) {
      const apiError = errorOf(error);
      if (apiError?.name === 'ValidationError') reject(campaignErrorsOf(apiError));
      notifyError(error);
      return null;
    }
  };
  const saveDraft = async () => {
    if ((await save()) !== null) toggleNotification({ type: 'success', message: t('campaigns.form.saved', 'Draft saved.') });
  };
  const check = async (spreadOverDays = spread) => {
    const id = await save();
    if (id === null) return;
    try {
      setResult(await preflight({ id, body: { spreadOverDays } }).unwrap());
    } catch (error) {
      notifyError(error);
    }
  };
  const changeSpread = async (next: boolean) => {
    setSpread(next);
    await check(next);
  };
  const doLaunch = async () => {
    if (savedId === null) return;
    try {
      await launch({ id: savedId, body: { spreadOverDays: spread } }).unwrap();
      navigate(`${CAMPAIGNS_PATH}/${savedId}`);
    } catch (error) {
      notifyError(error);
    }
  };
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    await check();
  };

  return (
    <PluginPage
      title={campaign ? t('campaigns.form.title.edit', 'Edit {name}', { name: campaign.name }) : t('campaigns.form.title.create', 'New campaign')}
      subtitle={t('campaigns.form.subtitle', 'Who gets which template, when; check it, then launch.')}
      withNav
      queries={[hostTypes]}
    >
      <form noValidate onSubmit={submit} aria-label={t('campaigns.form.label', 'Campaign')}>
        <Flex direction="column" alignItems="stretch" gap={5}>
          {errors.form && (
            <Typography textColor="danger600" role="alert">
              {errors.form}
            </Typography>
          )}
          <GeneralSection {...section} numbers={numbers} templates={templates} template={template} />
          <AudienceSection {...section} types={types} type={type} />
          <ParametersSection {...section} slots={slots} paths={fieldPaths(types, values.contentType)} columns={columns} />
          <ScheduleSection {...section} />
          <OptionsSection {...section} />
          <Flex gap={2} wrap="wrap">
            <Button type="button" variant="secondary" loading={saving && !checking} onClick={saveDraft}>
              {t('campaigns.form.save', 'Save draft')}
            </Button>
            <Button type="submit" loading={checking}>
              {t('campaigns.form.check', 'Save and check')}
            </Button>
          </Flex>
          {result && (
            <PreflightPanel result={result} template={template} spread={spread} canLaunchPermission={canLaunch} launching={launching} checking={checking || saving} onSpread={changeSpread} onLaunch={doLaunch} />
          )}
        </Flex>
      </form>
    </PluginPage>
  );
};

const EditBuilder = ({ id }: { id: number }) => {
  const query = useGetCampaignQuery(id);
  return (
    <PageStatus queries={[query]}>{query.data && <Builder campaign={query.data} initial={valuesFromCampaign(query.data)} />}</PageStatus>
  );
};

const NewBuilder = () => {
  const numbers = useListNumbersQuery();
  const defaultNumber = useGetDefaultNumberQuery();
  if (numbers.isLoading || defaultNumber.isLoading) return <Page.Loading />;
  const list = numbers.data ?? [];
  const numberId = list.find((n) => n.active && n.id === defaultNumber.data)?.id ?? list.find((n) => n.active)?.id;
  return <Builder campaign={null} initial={emptyCampaignValues(numberId ? String(numberId) : '')} />;
};

/** WhatsApp → Campaigns → New / Edit: the builder and its pre-flight. */
const CampaignBuilderPage = () => {
  const { id } = useParams();
  return (
    <Page.Protect permissions={PERMISSIONS.manageCampaigns}>
      {id ? <EditBuilder id={Number(id)} /> : <NewBuilder />}
    </Page.Protect>
  );
};

export default CampaignBuilderPage;
