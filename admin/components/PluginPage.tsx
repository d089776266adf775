import * as React from 'react';
import { Box, Button, EmptyStateLayout, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page } from '@strapi/strapi/admin';
import { PageStatus, type PageQuery } from './PageStatus';
import { PluginNav } from './PluginNav';

/** What a list says when it has nothing to show, and what the viewer can do about it. */
export const EmptyState = ({ content, action }: { content: string; action?: React.ReactNode }) => (
  <EmptyStateLayout icon={<EmptyDocuments width="16rem" />} content={content} action={action} />
);

export interface PluginPageProps {
  title: string;
  subtitle: string;
  /** The queries the page cannot be shown without: loading and error pages until they answered. */
  queries?: PageQuery[];
  /** Something else is still loading (permissions). */
  loading?: boolean;
  primaryAction?: React.ReactNode;
  secondaryAction?: React.ReactNode;
  /** The WhatsApp menu's pages link each other; the settings pages have Strapi's own menu. */
  withNav?: boolean;
  /** Shown instead of the content when there is nothing yet. */
  empty?: { content: string; action?: React.ReactNode } | false;
  children?: React.ReactNode;
  /** A line of help under the content. */
  footnote?: string;
  /** Modals and dialogs, there whether the page is empty or not. */
  dialogs?: React.ReactNode;
}

/** "Add …": small in the header, larger as the empty state's first step. */
export const AddButton = ({ onClick, first, children }: { onClick: () => void; first?: boolean; children: React.ReactNode }) => (
  <Button startIcon={<Plus />} onClick={onClick} {...(first ? { variant: 'secondary' } : { size: 'S' })}>
    {children}
  </Button>
);

/** The frame of every plugin page: its states, title, header with actions, and content or empty state. */
export const PluginPage = ({ title, subtitle, queries = [], loading, primaryAction, secondaryAction, withNav, empty, children, footnote, dialogs }: PluginPageProps) => (
  <PageStatus queries={queries} loading={loading}>
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header title={title} subtitle={subtitle} primaryAction={primaryAction} secondaryAction={secondaryAction} navigationAction={withNav ? <PluginNav /> : undefined} />
      <Layouts.Content>
        {empty ? <EmptyState {...empty} /> : children}
        {!empty && footnote && (
          <Box paddingTop={4}>
            <Typography variant="pi" textColor="neutral600">
              {footnote}
            </Typography>
          </Box>
        )}
      </Layouts.Content>
      {dialogs}
    </Page.Main>
  </PageStatus>
);
