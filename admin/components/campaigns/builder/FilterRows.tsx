import { Box, Button, Field, Flex, IconButton, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import type { HostContentType, HostField } from '../../../../contracts/host';
import type { Translate } from '../../../hooks/useTranslate';
import { useTranslate } from '../../../hooks/useTranslate';
import { NO_VALUE, OPERATORS, type FilterRow, type Operator } from '../form';
import { inputValue, type CampaignSectionProps } from './shared';

const operatorLabel = (t: Translate, op: Operator) =>
  ({
    $eq: t('campaigns.filter.op.eq', 'is'),
    $ne: t('campaigns.filter.op.ne', 'is not'),
    $contains: t('campaigns.filter.op.contains', 'contains'),
    $notContains: t('campaigns.filter.op.notContains', 'does not contain'),
    $in: t('campaigns.filter.op.in', 'is one of (comma separated)'),
    $gt: t('campaigns.filter.op.gt', 'is greater than'),
    $lt: t('campaigns.filter.op.lt', 'is less than'),
    $null: t('campaigns.filter.op.null', 'is empty'),
    $notNull: t('campaigns.filter.op.notNull', 'is not empty'),
  })[op];

/** Fields a filter can test: the type's own plain attributes. */
export const filterFields = (type: HostContentType | undefined) => (type?.fields ?? []).filter((f) => !['relation', 'media', 'component', 'dynamiczone', 'json', 'blocks', 'password'].includes(f.type));

const ValueInput = ({ row, field, label, onChange }: { row: FilterRow; field: HostField | undefined; label: string; onChange: (v: string) => void }) => {
  const t = useTranslate();
  const options = field?.type === 'boolean' ? ['true', 'false'] : field?.enum && row.operator !== '$in' ? field.enum : null;
  if (options) {
    return (
      <SingleSelect aria-label={label} value={row.value || null} onChange={(v) => onChange(String(v))} placeholder={t('campaigns.filter.value.placeholder', 'Choose a value')}>
        {options.map((o) => (
          <SingleSelectOption key={o} value={o}>
            {o}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    );
  }
  return (
    <Field.Root name={label} width="100%">
      <Field.Input aria-label={label} value={row.value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(inputValue(e))} />
    </Field.Root>
  );
};

/** Field, operator, value rows, matched all or any: the audience's Content Manager filter. */
export const FilterRows = ({ values, change, type }: Pick<CampaignSectionProps, 'values' | 'change'> & { type: HostContentType | undefined }) => {
  const t = useTranslate();
  const fields = filterFields(type);
  const setRows = (filters: FilterRow[]) => change({ filters }, 'audience.filters');
  const update = (i: number, patch: Partial<FilterRow>) => setRows(values.filters.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      {values.filters.length > 1 && (
        <Box maxWidth="30rem">
          <SingleSelect aria-label={t('campaigns.filter.match', 'Match')} value={values.match} onChange={(v) => change({ match: v as '$and' | '$or' }, 'audience.filters')}>
            <SingleSelectOption value="$and">{t('campaigns.filter.all', 'Records matching every filter')}</SingleSelectOption>
            <SingleSelectOption value="$or">{t('campaigns.filter.any', 'Records matching any filter')}</SingleSelectOption>
          </SingleSelect>
        </Box>
      )}
      {values.filters.map((row, i) => {
        const n = i + 1;
        return (
          <Flex key={i} gap={2} alignItems="flex-start" wrap="wrap">
            <Box flex="1 1 140px" minWidth={0}>
              <SingleSelect aria-label={t('campaigns.filter.field', 'Filter {n} field', { n })} value={row.field || null} onChange={(v) => update(i, { field: String(v), value: '' })} placeholder={t('campaigns.form.field.placeholder', 'Choose a field')}>
                {fields.map((f) => (
                  <SingleSelectOption key={f.name} value={f.name}>
                    {f.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <Box flex="1 1 140px" minWidth={0}>
              <SingleSelect aria-label={t('campaigns.filter.operator', 'Filter {n} operator', { n })} value={row.operator} onChange={(v) => update(i, { operator: v as Operator })}>
                {OPERATORS.map((op) => (
                  <SingleSelectOption key={op} value={op}>
                    {operatorLabel(t, op)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            {!NO_VALUE.includes(row.operator) && (
              <Box flex="1 1 140px" minWidth={0}>
                <ValueInput row={row} field={fields.find((f) => f.name === row.field)} label={t('campaigns.filter.value', 'Filter {n} value', { n })} onChange={(value) => update(i, { value })} />
              </Box>
            )}
            <IconButton variant="ghost" label={t('campaigns.filter.remove', 'Remove filter {n}', { n })} onClick={() => setRows(values.filters.filter((_, j) => j !== i))}>
              <Trash />
            </IconButton>
          </Flex>
        );
      })}
      <Box>
        <Button variant="tertiary" size="S" startIcon={<Plus />} disabled={!values.contentType} onClick={() => setRows([...values.filters, { field: '', operator: '$eq', value: '' }])}>
          {t('campaigns.filter.add', 'Add a filter')}
        </Button>
      </Box>
    </Flex>
  );
};
