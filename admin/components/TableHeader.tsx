import { Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';

/** A list table's header row; `hidden` names a last column (row actions) for screen readers only. */
export const TableHeader = ({ columns, hidden }: { columns: string[]; hidden?: string }) => (
  <Thead>
    <Tr>
      {columns.map((column) => (
        <Th key={column}>
          <Typography variant="sigma" textColor="neutral600">
            {column}
          </Typography>
        </Th>
      ))}
      {hidden && (
        <Th>
          <VisuallyHidden>{hidden}</VisuallyHidden>
        </Th>
      )}
    </Tr>
  </Thead>
);
