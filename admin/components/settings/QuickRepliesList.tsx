import * as React from 'react';
import { Box, Flex, IconButton, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Pencil, Trash } from '@strapi/icons';
import type { QuickReply } from '../../../contracts/quick-replies';
import { useTranslate } from '../../hooks/useTranslate';
import { TableHeader } from '../TableHeader';

interface Props {
  replies: QuickReply[];
  canManage: boolean;
  compact: boolean;
  onEdit: (reply: QuickReply) => void;
  onDelete: (reply: QuickReply) => void;
}

const Actions = ({ reply, onEdit, onDelete }: { reply: QuickReply } & Pick<Props, 'onEdit' | 'onDelete'>) => {
  const t = useTranslate();
  return (
    <Flex gap={1} justifyContent="flex-end">
      <IconButton variant="ghost" label={t('quickReplies.edit', 'Edit /{name}', { name: reply.name })} onClick={() => onEdit(reply)}>
        <Pencil />
      </IconButton>
      <IconButton variant="ghost" label={t('quickReplies.delete', 'Delete /{name}', { name: reply.name })} onClick={() => onDelete(reply)}>
        <Trash />
      </IconButton>
    </Flex>
  );
};

const Text = ({ text }: { text: string }) => (
  <Typography textColor="neutral800" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
    {text}
  </Typography>
);

/** The saved answers: a table, or cards on a phone-sized screen. */
export const QuickRepliesList = ({ replies, canManage, compact, onEdit, onDelete }: Props) => {
  const t = useTranslate();
  const label = t('quickReplies.table.label', 'Quick replies');
  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={label}>
        {replies.map((reply) => (
          <Box
            tag="li"
            key={reply.id}
            aria-label={`/${reply.name}`}
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            padding={4}
            style={{ listStyle: 'none' }}
          >
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" alignItems="center" gap={2}>
                <Typography fontWeight="semiBold" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
                  /{reply.name}
                </Typography>
                {canManage && <Actions reply={reply} onEdit={onEdit} onDelete={onDelete} />}
              </Flex>
              <Text text={reply.text} />
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }
  return (
    <Table colCount={canManage ? 3 : 2} rowCount={replies.length + 1} aria-label={label}>
      <TableHeader columns={[t('quickReplies.table.name', 'Name'), t('quickReplies.table.text', 'Text')]} hidden={canManage ? t('quickReplies.table.actions', 'Actions') : undefined} />
      <Tbody>
        {replies.map((reply) => (
          <Tr key={reply.id}>
            <Td>
              <Typography fontWeight="semiBold" textColor="neutral800">
                /{reply.name}
              </Typography>
            </Td>
            <Td style={{ whiteSpace: 'normal', maxWidth: '48rem' }}>
              <Text text={reply.text} />
            </Td>
            {canManage && (
              <Td>
                <Actions reply={reply} onEdit={onEdit} onDelete={onDelete} />
              </Td>
            )}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
