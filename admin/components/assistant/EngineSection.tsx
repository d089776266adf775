import * as React from 'react';
import { Button, Field, Flex, Grid, NumberInput, SingleSelect, SingleSelectOption, TextInput, Toggle } from '@strapi/design-system';
import type { AssistantMode, AssistantNumber, AssistantSettings, Evaluation, SaveAssistantSettings } from '../../../contracts/assistant';
import { useListNumbersQuery, useSaveAssistantSettingsMutation } from '../../api';
import { useApiAction } from '../../api/errors';
import { useTranslate } from '../../hooks/useTranslate';
import { GridField } from '../FormField';
import { Section } from '../settings/Section';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';

type Values = Omit<SaveAssistantSettings.Request, 'apiKey'> & { apiKey: string };

const valuesOf = (s: AssistantSettings): Values => ({ engine: s.engine, baseUrl: s.baseUrl ?? '', model: s.model ?? '', apiKey: '', numbers: s.numbers, redact: s.redact, budgetPerConversation: s.budgetPerConversation });

/** Engine (built-in or an OpenAI-compatible server), its key (write-only), redaction, budget and the mode of each number. */
export const EngineSection = ({ settings, evaluations }: { settings: AssistantSettings; evaluations: Evaluation[] }) => {
  const t = useTranslate();
  const run = useApiAction();
  const numbers = useListNumbersQuery();
  const [save, { isLoading }] = useSaveAssistantSettingsMutation();
  const [values, setValues] = React.useState<Values>(() => valuesOf(settings));
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const modeOf = (numberId: number): AssistantMode => values.numbers.find((n) => n.numberId === numberId)?.mode ?? 'suggest';
  const entryOf = (numberId: number): AssistantNumber => values.numbers.find((n) => n.numberId === numberId) ?? { numberId, mode: 'suggest' };
  // The golden set and threshold stay as saved: only the mode changes here.
  const setMode = (numberId: number, mode: AssistantMode) => set('numbers', values.numbers.some((n) => n.numberId === numberId) ? values.numbers.map((n) => (n.numberId === numberId ? { ...n, mode } : n)) : [...values.numbers, { numberId, mode }]);
  /** Why auto mode cannot be chosen for the number (null: it can). */
  const autoBlocked = (numberId: number) => {
    const latest = evaluations.find((e) => e.numberId === numberId);
    if (!latest) return t('assistant.mode.auto.never', 'Auto mode needs a passing evaluation: run this number’s golden set below.');
    if (!latest.passed) return t('assistant.mode.auto.failed', 'Auto mode needs a passing evaluation: the latest passed {passed} of {total}.', { passed: latest.passedCount, total: latest.total });
    return latest.stale ? t('assistant.mode.auto.stale', 'The engine, model, threshold, golden set or knowledge changed since the latest evaluation: run it again.') : null;
  };
  const openai = values.engine === 'openai';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    const body: SaveAssistantSettings.Request = {
      ...values,
      // In the order of the list shown, so an error on numbers.<i> lands on its row.
      numbers: (numbers.data ?? []).map((n) => entryOf(n.id)),
      baseUrl: values.baseUrl || null,
      model: values.model || null,
      // Left empty, the stored key is kept: it is never sent back to be shown.
      ...(values.apiKey ? { apiKey: values.apiKey } : { apiKey: undefined }),
    };
    await run(async () => {
      try {
        await save(body).unwrap();
        set('apiKey', '');
      } catch (error) {
        setErrors(fieldErrorsOf(error) ?? {});
        throw error;
      }
    }, t('assistant.saved', 'The assistant settings were saved.'));
  };

  return (
    <Section id="assistant-engine" title={t('assistant.engine.title', 'Engine')} description={t('assistant.engine.description', 'The built-in engine answers from your knowledge base without any model; an OpenAI-compatible server (OpenAI, Ollama, vLLM…) writes the answer from it.')}>
      <form onSubmit={submit} aria-label={t('assistant.engine.form', 'Assistant settings')}>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Grid.Root gap={4}>
            <GridField name="engine" label={t('assistant.engine', 'Engine')} error={errors.engine}>
              <SingleSelect value={values.engine} onChange={(v: string | number) => set('engine', String(v) as Values['engine'])}>
                <SingleSelectOption value="builtin">{t('assistant.engine.builtin', 'Built-in (knowledge base only, no model)')}</SingleSelectOption>
                <SingleSelectOption value="openai">{t('assistant.engine.openai', 'OpenAI-compatible server')}</SingleSelectOption>
              </SingleSelect>
            </GridField>
            <GridField name="budgetPerConversation" label={t('assistant.budget', 'Suggestions per conversation')} hint={t('assistant.budget.hint', 'Empty: no limit.')} error={errors.budgetPerConversation}>
              <NumberInput value={values.budgetPerConversation ?? undefined} onValueChange={(v: number | undefined) => set('budgetPerConversation', v ?? null)} />
            </GridField>
            {openai && (
              <>
                <GridField name="baseUrl" label={t('assistant.baseUrl', 'Base URL')} hint="http://localhost:11434/v1" error={errors.baseUrl} required>
                  <TextInput value={values.baseUrl ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('baseUrl', e.target.value)} />
                </GridField>
                <GridField name="model" label={t('assistant.model', 'Model')} error={errors.model} required>
                  <TextInput value={values.model ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('model', e.target.value)} />
                </GridField>
                <GridField name="apiKey" label={t('assistant.apiKey', 'API key')} hint={settings.apiKeySet ? t('assistant.apiKey.set', 'A key is saved; leave empty to keep it.') : t('assistant.apiKey.none', 'None saved (local servers need none).')} error={errors.apiKey}>
                  <TextInput type="password" autoComplete="off" value={values.apiKey} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('apiKey', e.target.value)} />
                </GridField>
                <GridField name="redact" label={t('assistant.redact', 'Redact phones and e-mails before a call')} error={errors.redact}>
                  <Toggle checked={Boolean(values.redact)} onLabel={t('settings.on', 'On')} offLabel={t('settings.off', 'Off')} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('redact', e.target.checked)} />
                </GridField>
              </>
            )}
            {(numbers.data ?? []).map((n, i) => (
              <GridField key={n.id} name={`numbers.${i}.mode`} label={t('assistant.mode', 'Mode for {label}', { label: n.label })} hint={autoBlocked(n.id) ?? (modeOf(n.id) === 'auto' ? t('assistant.mode.auto.reads', 'Automatic answers read the customer’s CRM record with the Content Manager rights of whoever saves this number in auto mode (you, when you save).') : undefined)} error={errors[`numbers.${i}.mode`]}>
                <SingleSelect value={modeOf(n.id)} onChange={(v: string | number) => setMode(n.id, String(v) as AssistantMode)}>
                  <SingleSelectOption value="off">{t('assistant.mode.off', 'Off')}</SingleSelectOption>
                  <SingleSelectOption value="suggest">{t('assistant.mode.suggest', 'Suggest drafts to staff')}</SingleSelectOption>
                  <SingleSelectOption value="auto" disabled={Boolean(autoBlocked(n.id))}>{t('assistant.mode.auto', 'Answer automatically (needs a passing evaluation)')}</SingleSelectOption>
                </SingleSelect>
              </GridField>
            ))}
          </Grid.Root>
          <Flex justifyContent="flex-end">
            <Button type="submit" loading={isLoading}>
              {t('assistant.save', 'Save')}
            </Button>
          </Flex>
        </Flex>
      </form>
    </Section>
  );
};
