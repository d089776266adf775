import * as React from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Badge, Box, Flex, IconButton, Switch, Typography } from '@strapi/design-system';
import { Drag, Pencil, Trash } from '@strapi/icons';
import type { Bot, BotStage } from '../../../contracts/bots';
import { useTranslate } from '../../hooks/useTranslate';
import { groupByStage } from './form';
import { responseLabel, stageLabel, triggerSummary } from './messages';

export interface BotsListProps {
  /** The number's bots. */
  bots: Bot[];
  canManage: boolean;
  /** Ids whose active switch is saving. */
  pending: ReadonlySet<number>;
  onToggleActive: (bot: Bot, active: boolean) => void;
  onEdit: (bot: Bot) => void;
  onDelete: (bot: Bot) => void;
  /** The number's bots top to bottom after a drop. */
  onReorder: (ids: number[]) => void;
}

const Row = ({ bot, canManage, pending, onToggleActive, onEdit, onDelete }: Omit<BotsListProps, 'bots' | 'onReorder'> & { bot: Bot }) => {
  const t = useTranslate();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: bot.id, disabled: !canManage });
  const on = t('bots.active.on', 'Active');
  const off = t('bots.active.off', 'Off');
  return (
    <Box
      tag="li"
      ref={setNodeRef}
      aria-label={bot.name}
      background="neutral0"
      hasRadius
      shadow={isDragging ? 'popupShadow' : 'tableShadow'}
      padding={3}
      style={{ listStyle: 'none', transform: CSS.Translate.toString(transform), transition, position: 'relative', zIndex: isDragging ? 1 : undefined }}
    >
      <Flex gap={2} alignItems="center" wrap="wrap">
        {canManage && (
          <IconButton ref={setActivatorNodeRef} variant="ghost" label={t('bots.list.drag', 'Move {name} (space, then arrows)', { name: bot.name })} {...attributes} {...listeners} style={{ cursor: 'grab', touchAction: 'none' }}>
            <Drag />
          </IconButton>
        )}
        <Flex direction="column" alignItems="flex-start" gap={1} flex="1 1 16rem" minWidth={0}>
          <Typography fontWeight="semiBold" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
            {bot.name}
          </Typography>
          <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
            {triggerSummary(t, bot)} → {responseLabel(t, bot.response.type)}
          </Typography>
        </Flex>
        <Flex gap={1} alignItems="center" marginLeft="auto">
          {canManage ? (
            <Switch
              checked={bot.active}
              disabled={pending.has(bot.id)}
              onCheckedChange={(checked) => onToggleActive(bot, checked)}
              onLabel={on}
              offLabel={off}
              visibleLabels
              aria-label={t('bots.active.aria', 'Active: {name}', { name: bot.name })}
            />
          ) : (
            <Badge backgroundColor={bot.active ? 'success100' : 'neutral150'} textColor={bot.active ? 'success700' : 'neutral700'}>
              {bot.active ? on : off}
            </Badge>
          )}
          {canManage && (
            <>
              <IconButton variant="ghost" label={t('bots.edit', 'Edit {name}', { name: bot.name })} onClick={() => onEdit(bot)}>
                <Pencil />
              </IconButton>
              <IconButton variant="ghost" label={t('bots.delete', 'Delete {name}', { name: bot.name })} onClick={() => onDelete(bot)}>
                <Trash />
              </IconButton>
            </>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};

/** One precedence stage's bots, ordered by dragging within the stage (the order only matters there). */
const StageGroup = ({ stage, bots, all, onReorder, ...row }: Omit<BotsListProps, 'bots'> & { stage: BotStage | null; bots: Bot[]; all: Bot[][] }) => {
  const t = useTranslate();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = bots.map((b) => b.id);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const moved = arrayMove(ids, ids.indexOf(Number(active.id)), ids.indexOf(Number(over.id)));
    // The whole number's order, this stage's part replaced: priorities become 0, 1, 2… top to bottom.
    onReorder(all.flatMap((group) => (group === bots ? moved : group.map((b) => b.id))));
  };
  const heading = `bots-stage-${stage ?? 'timed'}`;
  return (
    <Box tag="section" aria-labelledby={heading}>
      <Typography id={heading} variant="sigma" textColor="neutral600" tag="h2">
        {stageLabel(t, stage)}
      </Typography>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <Flex tag="ol" direction="column" alignItems="stretch" gap={2} paddingTop={2} style={{ margin: 0, paddingLeft: 0, paddingRight: 0, paddingBottom: 0 }} aria-labelledby={heading}>
            {bots.map((bot) => (
              <Row key={bot.id} bot={bot} {...row} />
            ))}
          </Flex>
        </SortableContext>
      </DndContext>
    </Box>
  );
};

/** A number's bots by precedence stage; within a stage the higher one wins, and dragging changes that. */
export const BotsList = ({ bots, ...props }: BotsListProps) => {
  const groups = groupByStage(bots);
  const all = groups.map((g) => g.bots);
  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      {groups.map((g, i) => (
        <StageGroup key={g.stage ?? 'timed'} stage={g.stage} bots={all[i]} all={all} {...props} />
      ))}
    </Flex>
  );
};
