import * as React from 'react';
import { Badge, Button, Flex, IconButton, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import type { AssistantSettings, Evaluation, GoldenQuestion, SaveAssistantSettings } from '../../../contracts/assistant';
import { useEvaluateMutation, useListNumbersQuery, useSaveAssistantSettingsMutation } from '../../api';
import { useApiAction } from '../../api/errors';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { Section } from '../settings/Section';

type Row = { question: string; sources: string };

const rowsOf = (golden: GoldenQuestion[] | undefined): Row[] => (golden ?? []).map((g) => ({ question: g.question, sources: g.expectedSources.join(', ') }));
const goldenOf = (rows: Row[]): GoldenQuestion[] =>
  rows.filter((r) => r.question.trim()).map((r) => ({ question: r.question.trim(), expectedSources: r.sources.split(',').map((s) => s.trim()).filter(Boolean) }));

/** A number's golden set (questions and the sources their answers must cite), its evaluation run and per-question results. */
export const EvaluationSection = ({ settings, evaluations }: { settings: AssistantSettings; evaluations: Evaluation[] }) => {
  const t = useTranslate();
  const run = useApiAction();
  const numbers = useListNumbersQuery();
  const [save, saving] = useSaveAssistantSettingsMutation();
  const [evaluate, evaluating] = useEvaluateMutation();
  const [numberId, setNumberId] = React.useState<number | null>(null);
  const chosen = numberId ?? numbers.data?.[0]?.id ?? null;
  const [rows, setRows] = React.useState<Row[]>([]);
  React.useEffect(() => setRows(rowsOf(settings.numbers.find((n) => n.numberId === chosen)?.golden)), [chosen, settings]);
  const latest = evaluations.find((e) => e.numberId === chosen) ?? null;
  const setRow = (i: number, patch: Partial<Row>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const saveGolden = () => {
    if (chosen === null) return;
    const golden = goldenOf(rows);
    const listed = settings.numbers.some((n) => n.numberId === chosen);
    const body: SaveAssistantSettings.Request = {
      engine: settings.engine,
      baseUrl: settings.baseUrl,
      model: settings.model,
      redact: settings.redact,
      budgetPerConversation: settings.budgetPerConversation,
      numbers: listed ? settings.numbers.map((n) => (n.numberId === chosen ? { ...n, golden } : n)) : [...settings.numbers, { numberId: chosen, mode: 'suggest', golden }],
    };
    return run(() => save(body).unwrap(), t('assistant.golden.saved', 'The golden set was saved.'));
  };

  return (
    <Section id="assistant-evaluation" title={t('assistant.golden.title', 'Golden set and evaluation')} description={t('assistant.golden.description', 'Questions customers ask, with the knowledge sources (titles or ids) their answers must cite. Auto mode needs the latest evaluation passed.')}>
      <FormField name="goldenNumber" label={t('assistant.golden.number', 'Number')}>
        <SingleSelect value={chosen ?? undefined} onChange={(v: string | number) => setNumberId(Number(v))}>
          {(numbers.data ?? []).map((n) => (
            <SingleSelectOption key={n.id} value={n.id}>
              {n.label}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </FormField>
      {rows.map((r, i) => (
        <Flex key={i} gap={2} alignItems="flex-end">
          <FormField name={`golden.${i}.question`} label={t('assistant.golden.question', 'Question {n}', { n: i + 1 })}>
            <TextInput value={r.question} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRow(i, { question: e.target.value })} />
          </FormField>
          <FormField name={`golden.${i}.sources`} label={t('assistant.golden.sources', 'Expected sources (comma-separated)')}>
            <TextInput value={r.sources} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRow(i, { sources: e.target.value })} />
          </FormField>
          <IconButton label={t('assistant.golden.remove', 'Remove question {n}', { n: i + 1 })} variant="ghost" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
            <Trash />
          </IconButton>
        </Flex>
      ))}
      <Flex gap={2} wrap="wrap">
        <Button variant="tertiary" onClick={() => setRows((all) => [...all, { question: '', sources: '' }])}>
          {t('assistant.golden.add', 'Add a question')}
        </Button>
        <Button variant="secondary" loading={saving.isLoading} disabled={chosen === null} onClick={saveGolden}>
          {t('assistant.golden.save', 'Save golden set')}
        </Button>
        <Button loading={evaluating.isLoading} disabled={chosen === null} onClick={() => chosen !== null && run(() => evaluate({ numberId: chosen }).unwrap(), t('assistant.golden.ran', 'The evaluation ran.'))}>
          {t('assistant.golden.run', 'Run evaluation')}
        </Button>
      </Flex>
      {latest && (
        <>
          <Typography>
            {latest.passed
              ? t('assistant.golden.passed', 'Passed: {passed} of {total} questions ({at}).', { passed: latest.passedCount, total: latest.total, at: new Date(latest.at).toLocaleString() })
              : t('assistant.golden.failed', 'Not passed: {passed} of {total} questions ({at}).', { passed: latest.passedCount, total: latest.total, at: new Date(latest.at).toLocaleString() })}
            {latest.stale ? ` ${t('assistant.golden.stale', 'Out of date: the setup changed since this run; auto mode waits for a new one.')}` : ''}
          </Typography>
          <Table colCount={5} rowCount={latest.results.length + 1} aria-label={t('assistant.golden.results', 'Evaluation results')}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('assistant.golden.col.question', 'Question')}</Typography></Th>
                <Th><Typography variant="sigma">{t('assistant.golden.col.answer', 'Answer')}</Typography></Th>
                <Th><Typography variant="sigma">{t('assistant.golden.col.sources', 'Expected / cited')}</Typography></Th>
                <Th><Typography variant="sigma">{t('assistant.golden.col.confidence', 'Confidence')}</Typography></Th>
                <Th><Typography variant="sigma">{t('assistant.golden.col.result', 'Result')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {latest.results.map((r, i) => (
                <Tr key={i}>
                  <Td><Typography>{r.question}</Typography></Td>
                  <Td><Typography textColor="neutral600">{r.answer || r.handoff || '—'}</Typography></Td>
                  <Td><Typography>{`${r.expectedSources.join(', ') || '—'} / ${r.citedSources.join(', ') || '—'}`}</Typography></Td>
                  <Td><Typography>{`${Math.round(r.confidence * 100)}%${r.grounded ? '' : ` · ${t('assistant.golden.ungrounded', 'ungrounded')}`}`}</Typography></Td>
                  <Td><Badge active={r.passed}>{r.passed ? t('assistant.golden.pass', 'Pass') : t('assistant.golden.fail', 'Fail')}</Badge></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </>
      )}
    </Section>
  );
};
