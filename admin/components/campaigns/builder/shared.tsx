import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import type { FormErrors } from '../../../hooks/useFormState';
import type { CampaignFormValues } from '../form';

/** What every section of the builder gets: the form's values and errors, and how to change them. */
export interface CampaignSectionProps {
  values: CampaignFormValues;
  errors: FormErrors;
  set: <K extends keyof CampaignFormValues>(key: K, value: CampaignFormValues[K], errorKey?: string) => void;
  /** Changes several values at once, clearing the error named `errorKey`. */
  change: (patch: Partial<CampaignFormValues>, errorKey: string) => void;
}

/** One titled card of the builder. */
export const Section = ({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) => (
  <Box tag="section" aria-label={title} background="neutral0" hasRadius shadow="tableShadow" padding={{ initial: 4, medium: 6 }}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {description && (
          <Typography variant="pi" textColor="neutral600">
            {description}
          </Typography>
        )}
      </Flex>
      {children}
    </Flex>
  </Box>
);

/** Server errors a section has no field for. */
export const ErrorList = ({ messages }: { messages: string[] }) =>
  messages.length ? (
    <Flex direction="column" alignItems="stretch" gap={1}>
      {messages.map((m) => (
        <Typography key={m} variant="pi" textColor="danger600" role="alert">
          {m}
        </Typography>
      ))}
    </Flex>
  ) : null;

export const inputValue = (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => e.target.value;
