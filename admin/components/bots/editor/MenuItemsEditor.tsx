import * as React from 'react';
import { Box, Button, Field, Flex, Grid, IconButton, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { BOT_LIMITS, BOT_RESPONSE_TYPES } from '../../../../contracts/bots';
import type { FormErrors } from '../../../hooks/useFormState';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { emptyMenuItem, errorAt, type MenuItemValues, type ResponseValues } from '../form';
import { ResponseFields } from './ResponseFields';
import { onText } from './shared';

/** What a menu item may answer with: anything but another menu (a sub-menu is the item's own items). */
const LEAF_TYPES = BOT_RESPONSE_TYPES.filter((type) => type !== 'menu');

export interface MenuItemsEditorProps {
  items: MenuItemValues[];
  errors: FormErrors;
  /** Where the server names these items' errors: `response.items`, `response.items.1.items`… */
  path: string;
  /** The parent item's number (`2` for item 2's sub-menu, empty at the top): item labels read `2.1`. */
  number: string;
  /** 1 for the bot's own menu; a sub-menu can be added while below BOT_LIMITS.menuDepth. */
  depth: number;
  onChange: (items: MenuItemValues[], errorKey: string) => void;
}

/** One item: its title, id and description, then its answer or its sub-menu (drawn by the same editor, one level down). */
const MenuItemEditor = ({ item, index, items, errors, path, number, depth, onChange }: MenuItemsEditorProps & { item: MenuItemValues; index: number }) => {
  const t = useTranslate();
  const n = number ? `${number}.${index + 1}` : String(index + 1);
  const at = `${path}.${index}`;
  const update = (patch: Partial<MenuItemValues>, errorKey: string) => onChange(items.map((x, j) => (j === index ? { ...x, ...patch } : x)), errorKey);
  const setReply = <K extends keyof ResponseValues>(key: K, value: ResponseValues[K], errorKey: string) => update({ reply: { ...item.reply, [key]: value } }, errorKey);
  const field = (key: 'title' | 'id' | 'description' | 'text', label: string, hint: string, col = 6) => (
    <GridField col={col} name={`${at}.${key}`} label={label} hint={hint} error={errorAt(errors, `${at}.${key}`)} required={key === 'title'}>
      <Field.Input value={item[key]} onChange={onText((v) => update({ [key]: v }, `${at}.${key}`))} autoComplete="off" />
    </GridField>
  );
  return (
    <Box padding={4} hasRadius borderColor="neutral200" background={depth % 2 ? 'neutral100' : 'neutral0'} role="group" aria-label={t('bots.menu.item', 'Menu item {n}', { n })}>
      <Grid.Root gap={4}>
        <Grid.Item col={12} justifyContent="space-between">
          <Typography variant="sigma" tag="h3">
            {t('bots.menu.item', 'Menu item {n}', { n })}
          </Typography>
          <IconButton label={t('bots.menu.remove', 'Remove item {n}', { n })} variant="ghost" onClick={() => onChange(items.filter((_, j) => j !== index), path)}>
            <Trash />
          </IconButton>
        </Grid.Item>
        {errors[at] && (
          <Grid.Item col={12}>
            <Typography variant="pi" textColor="danger600" role="alert">
              {errors[at]}
            </Typography>
          </Grid.Item>
        )}
        {field('title', t('bots.menu.title', 'Item {n} title', { n }), t('bots.menu.title.hint', 'What the customer picks: up to {b} characters as a button, {l} in a list.', { b: BOT_LIMITS.buttonTitle, l: BOT_LIMITS.listRowTitle }))}
        {field('id', t('bots.menu.id', 'Item {n} id', { n }), t('bots.form.buttonId.hint', 'Empty: the title.'))}
        {field('description', t('bots.menu.description', 'Item {n} description', { n }), t('bots.menu.description.hint', 'Shown under the title when the menu is a list.'), 12)}
        <GridField col={12} name={`${at}.opens`} label={t('bots.menu.opens', 'Item {n} when picked', { n })}>
          <SingleSelect value={item.opens} onChange={(v) => update({ opens: v as MenuItemValues['opens'], items: item.items.length ? item.items : [emptyMenuItem()] }, at)}>
            <SingleSelectOption value="reply">{t('bots.menu.opens.reply', 'Answers')}</SingleSelectOption>
            <SingleSelectOption value="menu" disabled={depth >= BOT_LIMITS.menuDepth}>
              {t('bots.menu.opens.menu', 'Opens a sub-menu')}
            </SingleSelectOption>
          </SingleSelect>
        </GridField>
        {item.opens === 'reply' ? (
          <ResponseFields values={item.reply} errors={errors} set={setReply} prefix={`${at}.reply`} labelOf={(label) => t('bots.menu.fieldOf', 'Item {n}: {label}', { n, label })} types={LEAF_TYPES} />
        ) : (
          <>
            {field('text', t('bots.menu.text', 'Item {n} sub-menu message', { n }), t('bots.menu.text.hint', 'Empty: the item’s title.'), 12)}
            <MenuItemsEditor items={item.items} errors={errors} path={`${at}.items`} number={n} depth={depth + 1} onChange={(sub, errorKey) => update({ items: sub }, errorKey)} />
          </>
        )}
      </Grid.Root>
    </Box>
  );
};

/** A menu's items as a tree the author edits in place; the server's errors land at the item and field they name. */
export const MenuItemsEditor = (props: MenuItemsEditorProps) => {
  const t = useTranslate();
  const { items, errors, path, number, onChange } = props;
  return (
    <Grid.Item col={12} direction="column" alignItems="stretch" gap={3}>
      <Typography variant="pi" fontWeight="bold" tag="h3">
        {number ? t('bots.menu.subItems', 'Sub-menu of item {n}', { n: number }) : t('bots.menu.items', 'Menu items')}
      </Typography>
      {items.map((item, index) => (
        <MenuItemEditor key={index} {...props} item={item} index={index} />
      ))}
      {errors[path] && (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors[path]}
        </Typography>
      )}
      <Flex>
        <Button variant="tertiary" size="S" startIcon={<Plus />} disabled={items.length >= BOT_LIMITS.menuItems} onClick={() => onChange([...items, emptyMenuItem()], path)}>
          {number ? t('bots.menu.addSub', 'Add item to {n}', { n: number }) : t('bots.menu.add', 'Add menu item')}
        </Button>
      </Flex>
    </Grid.Item>
  );
};
