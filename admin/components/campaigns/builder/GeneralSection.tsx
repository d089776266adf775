import { Field, Grid, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { WhatsAppNumber } from '../../../../contracts/numbers';
import type { WhatsAppTemplate } from '../../../../contracts/templates';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { templateKey } from '../../notifications/form';
import type { useApprovedTemplates } from '../../notifications/useTemplates';
import { inputValue, Section, type CampaignSectionProps } from './shared';

interface Props extends CampaignSectionProps {
  numbers: WhatsAppNumber[];
  templates: ReturnType<typeof useApprovedTemplates>;
  template: WhatsAppTemplate | undefined;
}

/** The campaign's name, the number it is sent from and that number's approved template. */
export const GeneralSection = ({ values, errors, set, change, numbers, templates, template }: Props) => {
  const t = useTranslate();
  const templateHint = () => {
    if (!values.numberId) return t('campaigns.form.template.pickNumber', 'Choose a number first.');
    if (templates.status === 'loading') return t('campaigns.form.template.loading', 'Loading templates…');
    if (!templates.templates.length) return t('campaigns.form.template.none', 'This number has no approved template. Create one at your provider and sync templates.');
    return template ? `${template.category ?? ''} · ${template.quality ?? t('campaigns.form.template.noQuality', 'quality unknown')}` : t('campaigns.form.template.hint', 'Approved templates of this number.');
  };
  return (
    <Section title={t('campaigns.form.general', 'Message')}>
      <Grid.Root gap={5}>
        <GridField name="name" label={t('campaigns.form.name', 'Name')} error={errors.name} required col={12}>
          <Field.Input value={values.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('name', inputValue(e))} autoComplete="off" />
        </GridField>
        <GridField name="numberId" label={t('campaigns.form.number', 'Number')} error={errors.numberId} required>
          <SingleSelect value={values.numberId || null} onChange={(v) => change({ numberId: String(v), template: '' }, 'numberId')} placeholder={t('campaigns.form.number.placeholder', 'Choose a number')}>
            {numbers.map((n) => (
              <SingleSelectOption key={n.id} value={String(n.id)}>
                {`${n.label} (${n.phone})`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </GridField>
        <GridField name="template" label={t('campaigns.form.template', 'Template')} error={errors.template ?? errors['template.name']} required hint={templateHint()}>
          <SingleSelect value={values.template || null} onChange={(v) => set('template', String(v))} disabled={!values.numberId} placeholder={t('campaigns.form.template.placeholder', 'Choose a template')}>
            {values.template && !template && <SingleSelectOption value={values.template}>{values.template.replace('|', ' · ')}</SingleSelectOption>}
            {templates.templates.map((tpl) => (
              <SingleSelectOption key={tpl.id} value={templateKey(tpl)}>
                {`${tpl.name} · ${tpl.language}`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </GridField>
      </Grid.Root>
    </Section>
  );
};
