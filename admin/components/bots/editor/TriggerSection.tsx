import * as React from 'react';
import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption, Textarea, Toggle, Typography } from '@strapi/design-system';
import { ASKS_HUMAN_KEYWORDS, BOT_LIMITS, BOT_TRIGGER_TYPES, type BotTriggerType } from '../../../../contracts/bots';
import type { WhatsAppNumber } from '../../../../contracts/numbers';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { errorAt, stageOf } from '../form';
import { triggerLabel } from '../messages';
import { PrecedenceNote } from './PrecedenceNote';
import { onText, type BotSectionProps } from './shared';

const KEYWORD_TRIGGERS: BotTriggerType[] = ['exact', 'starts-with', 'contains', 'keywords', 'asks-human'];

/** Name, number and what fires the bot, with where its trigger sits in the precedence. */
export const TriggerSection = ({ values, errors, set, numbers }: BotSectionProps & { numbers: WhatsAppNumber[] }) => {
  const t = useTranslate();
  const type = values.triggerType;
  return (
    <Grid.Root gap={4} tag="section" aria-label={t('bots.form.trigger', 'Trigger')}>
      <Grid.Item col={12}>
        <Typography variant="delta" tag="h2">
          {t('bots.form.trigger', 'Trigger')}
        </Typography>
      </Grid.Item>
      <GridField name="name" label={t('bots.form.name', 'Name')} error={errorAt(errors, 'name')} required>
        <Field.Input value={values.name} onChange={onText((v) => set('name', v, 'name'))} autoComplete="off" />
      </GridField>
      <GridField name="numberId" label={t('bots.form.number', 'Number')} error={errorAt(errors, 'numberId')} required>
        <SingleSelect value={values.numberId || null} onChange={(v) => set('numberId', String(v), 'numberId')} placeholder={t('bots.form.number.placeholder', 'Choose a number')}>
          {numbers.map((n) => (
            <SingleSelectOption key={n.id} value={String(n.id)}>
              {`${n.label} (${n.phone})`}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      <GridField name="trigger.type" label={t('bots.form.triggerType', 'Fires when the customer’s message…')} error={errorAt(errors, 'trigger.type') ?? errors.trigger} required>
        <SingleSelect value={type} onChange={(v) => set('triggerType', v as BotTriggerType, 'trigger.type')}>
          {BOT_TRIGGER_TYPES.map((ty) => (
            <SingleSelectOption key={ty} value={ty}>
              {triggerLabel(t, ty)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      <GridField name="active" label={t('bots.form.active', 'Active')} error={errorAt(errors, 'active')}>
        <Toggle checked={values.active} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('active', e.target.checked, 'active')} onLabel={t('bots.active.on', 'Active')} offLabel={t('bots.active.off', 'Off')} />
      </GridField>
      {KEYWORD_TRIGGERS.includes(type) && (
        <GridField
          name="trigger.keywords"
          label={t('bots.form.keywords', 'Keywords')}
          error={errorAt(errors, 'trigger.keywords')}
          required={type !== 'asks-human'}
          hint={
            type === 'asks-human'
              ? t('bots.form.keywords.asksHuman', 'One a line. Empty: {list}.', { list: ASKS_HUMAN_KEYWORDS.join(', ') })
              : t('bots.form.keywords.hint', 'One a line; case, accents, extra spaces and emoji are ignored.')
          }
        >
          <Textarea value={values.keywords} onChange={onText((v) => set('keywords', v, 'trigger.keywords'))} />
        </GridField>
      )}
      {type === 'keywords' && (
        <GridField name="trigger.synonyms" label={t('bots.form.synonyms', 'Synonyms')} error={errorAt(errors, 'trigger.synonyms')} hint={t('bots.form.synonyms.hint', 'One keyword a line: “price: cost, how much”.')}>
          <Textarea value={values.synonyms} onChange={onText((v) => set('synonyms', v, 'trigger.synonyms'))} />
        </GridField>
      )}
      {type === 'regex' && (
        <GridField name="trigger.pattern" label={t('bots.form.pattern', 'Pattern')} error={errorAt(errors, 'trigger.pattern')} required hint={t('bots.form.pattern.hint', 'JavaScript syntax, tested case-insensitively on the normalised text.')}>
          <Field.Input value={values.pattern} onChange={onText((v) => set('pattern', v, 'trigger.pattern'))} autoComplete="off" />
        </GridField>
      )}
      {(type === 'idle' || type === 'no-staff-reply') && (
        <GridField name="trigger.minutes" label={t('bots.form.minutes', 'After (minutes)')} error={errorAt(errors, 'trigger.minutes')} required>
          <NumberInput value={values.minutes} onValueChange={(v) => set('minutes', v, 'trigger.minutes')} step={1} min={BOT_LIMITS.minutes.min} max={BOT_LIMITS.minutes.max} />
        </GridField>
      )}
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <PrecedenceNote stage={stageOf(type)} />
      </Grid.Item>
    </Grid.Root>
  );
};
