import * as React from 'react';
import { Box, Typography } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import type { QuickReply } from './quickReplyText';

/** The quick replies matching a `/` typed in the composer, as a listbox the textarea drives with the arrow keys. */
export const QuickReplyList = ({ id, replies, active, onPick }: { id: string; replies: QuickReply[]; active: number; onPick: (r: QuickReply) => void }) => {
  const t = useTranslate();
  return (
    <Box
      tag="ul"
      id={id}
      role="listbox"
      aria-label={t('inbox.quickReplies.label', 'Quick replies')}
      background="neutral0"
      shadow="popupShadow"
      hasRadius
      padding={1}
      marginBottom={2}
      style={{ listStyle: 'none', margin: 0, maxHeight: '16rem', overflowY: 'auto' }}
    >
      {replies.map((r, i) => (
        <Box
          tag="li"
          key={r.id}
          id={`${id}-${r.id}`}
          role="option"
          aria-selected={i === active}
          background={i === active ? 'primary100' : 'neutral0'}
          hasRadius
          padding={2}
          style={{ cursor: 'pointer' }}
          // mousedown, not click: the textarea keeps its focus.
          onMouseDown={(e: React.MouseEvent) => {
            e.preventDefault();
            onPick(r);
          }}
        >
          <Typography fontWeight="semiBold" textColor="neutral800">
            /{r.name}
          </Typography>{' '}
          <Typography variant="pi" textColor="neutral600" ellipsis>
            {r.text}
          </Typography>
        </Box>
      ))}
    </Box>
  );
};
