import * as React from 'react';
import { Box, Button, Field, Flex, IconButton, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { useTranslate } from '../../../hooks/useTranslate';
import { PathSelect, type RuleSectionProps } from './shared';

/** Optional: the fields that must equal a value for the rule to send. */
export const ConditionSection = ({ values, errors, set, allPaths }: RuleSectionProps & { allPaths: string[] }) => {
  const t = useTranslate();
  const setRows = (rows: RuleSectionProps['values']['condition']) => set('condition', rows, 'condition');
  return (
    <Box tag="section" aria-label={t('notifications.form.condition.title', 'Condition')}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography variant="delta" tag="h3">
          {t('notifications.form.condition.title', 'Condition')}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t('notifications.form.condition.hint', 'Optional: send only when every field equals its value. Otherwise the firing is recorded as not matched.')}
        </Typography>
        {values.condition.map((row, i) => (
          <Flex key={i} gap={2} alignItems="flex-start" wrap="wrap">
            <Box flex="1 1 180px" minWidth={0}>
              <PathSelect
                value={row.path}
                paths={allPaths}
                label={t('notifications.form.condition.field', 'Condition {n} field', { n: i + 1 })}
                placeholder={t('notifications.form.field.placeholder', 'Choose a field')}
                onChange={(v) => setRows(values.condition.map((c, j) => (j === i ? { ...c, path: v } : c)))}
              />
            </Box>
            <Box flex="1 1 140px" minWidth={0}>
              <Field.Root name={`condition.${i}`} width="100%">
                <Field.Input
                  aria-label={t('notifications.form.condition.value', 'Condition {n} value', { n: i + 1 })}
                  value={row.value}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRows(values.condition.map((c, j) => (j === i ? { ...c, value: e.target.value } : c)))}
                />
              </Field.Root>
            </Box>
            <IconButton variant="ghost" label={t('notifications.form.condition.remove', 'Remove condition {n}', { n: i + 1 })} onClick={() => setRows(values.condition.filter((_, j) => j !== i))}>
              <Trash />
            </IconButton>
          </Flex>
        ))}
        {errors.condition && (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.condition}
          </Typography>
        )}
        <Box>
          <Button variant="tertiary" size="S" startIcon={<Plus />} disabled={!values.contentType} onClick={() => setRows([...values.condition, { path: '', value: '' }])}>
            {t('notifications.form.condition.add', 'Add a condition')}
          </Button>
        </Box>
      </Flex>
    </Box>
  );
};
