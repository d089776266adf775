import * as React from 'react';
import { Field, Grid, Typography } from '@strapi/design-system';
import { BOT_RESPONSE_TYPES } from '../../../../contracts/bots';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { MenuItemsEditor } from './MenuItemsEditor';
import { ResponseFields } from './ResponseFields';
import { errorAt } from '../form';
import { onText, type BotSectionProps } from './shared';

/** What the bot answers: the response type, its text and its type's own fields (a menu's items as a tree). */
export const ResponseSection = (props: BotSectionProps) => {
  const t = useTranslate();
  const { values, errors, set } = props;
  return (
    <Grid.Root gap={4} tag="section" aria-label={t('bots.form.response', 'Response')}>
      <Grid.Item col={12}>
        <Typography variant="delta" tag="h2">
          {t('bots.form.response', 'Response')}
        </Typography>
      </Grid.Item>
      <ResponseFields
        values={values}
        errors={errors}
        set={(key, value, errorKey) => set(key, value as never, errorKey)}
        prefix="response"
        labelOf={(label) => label}
        types={BOT_RESPONSE_TYPES}
        menu={
          <>
            <GridField name="response.buttonText" label={t('bots.form.buttonText', 'Menu button')} error={errorAt(errors, 'response.buttonText')} hint={t('bots.form.menuButton.hint', 'The list’s button when the menu has more than three items.')}>
              <Field.Input value={values.buttonText} onChange={onText((v) => set('buttonText', v, 'response.buttonText'))} autoComplete="off" />
            </GridField>
            <MenuItemsEditor items={values.menuItems} errors={errors} path="response.items" number="" depth={1} onChange={(items, errorKey) => set('menuItems', items, errorKey)} />
          </>
        }
      />
    </Grid.Root>
  );
};
