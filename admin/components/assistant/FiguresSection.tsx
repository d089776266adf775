import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useGetAssistantFiguresQuery, useListNumbersQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { Section } from '../settings/Section';

const duration = (ms: number | null) => (ms === null ? '—' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** What the assistant did per number the viewer may see. */
export const FiguresSection = () => {
  const t = useTranslate();
  const figures = useGetAssistantFiguresQuery();
  const numbers = useListNumbersQuery();
  const labelOf = (id: number) => numbers.data?.find((n) => n.id === id)?.label ?? `#${id}`;
  const columns = [
    t('assistant.figures.number', 'Number'),
    t('assistant.figures.accepted', 'Accepted'),
    t('assistant.figures.edited', 'Edited'),
    t('assistant.figures.rejected', 'Rejected'),
    t('assistant.figures.pending', 'Pending'),
    t('assistant.figures.automatic', 'Automatic answers'),
    t('assistant.figures.handoffs', 'Handoffs'),
    t('assistant.figures.median', 'Median time to first answer'),
    t('assistant.figures.tokens', 'Tokens'),
  ];
  const rows = figures.data ?? [];
  return (
    <Section id="assistant-figures" title={t('assistant.figures.title', 'Figures')} description={t('assistant.figures.description', 'Suggestions and automatic answers per number.')}>
      <Table colCount={columns.length} rowCount={rows.length + 1} aria-label={t('assistant.figures.title', 'Figures')}>
        <Thead>
          <Tr>
            {columns.map((c) => (
              <Th key={c}><Typography variant="sigma">{c}</Typography></Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((f) => (
            <Tr key={f.numberId}>
              {[labelOf(f.numberId), f.accepted, f.edited, f.rejected, f.pending, f.automatic, f.handoffs, duration(f.medianFirstAnswerMs), f.tokens].map((v, i) => (
                <Td key={i}><Typography>{String(v)}</Typography></Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Section>
  );
};
