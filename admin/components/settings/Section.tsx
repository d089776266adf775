import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

/** One titled card of a settings page. */
export const Section = ({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
  id: string;
}) => (
  <Box
    tag="section"
    aria-labelledby={id}
    background="neutral0"
    hasRadius
    shadow="filterShadow"
    paddingTop={6}
    paddingBottom={6}
    paddingLeft={7}
    paddingRight={7}
    marginBottom={6}
  >
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography id={id} variant="delta" tag="h2">
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
