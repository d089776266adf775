import { Button, Flex, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight } from '@strapi/icons';
import type { Pagination } from '../../../contracts/logs';
import { useTranslate } from '../../hooks/useTranslate';

/** Previous / next paging under a log table. */
export const Pager = ({ pagination, onPage, label }: { pagination: Pagination; onPage: (page: number) => void; label: string }) => {
  const t = useTranslate();
  const { page, pageCount, total } = pagination;
  return (
    <Flex tag="nav" aria-label={label} justifyContent="space-between" alignItems="center" gap={2} paddingTop={4} wrap="wrap">
      <Typography variant="pi" textColor="neutral600">
        {t('logs.pager.summary', 'Page {page} of {pageCount} · {total, plural, one {# entry} other {# entries}}', {
          page,
          pageCount: Math.max(pageCount, 1),
          total,
        })}
      </Typography>
      <Flex gap={2}>
        <Button variant="tertiary" size="S" startIcon={<ChevronLeft />} disabled={page <= 1} onClick={() => onPage(page - 1)}>
          {t('logs.pager.previous', 'Previous')}
        </Button>
        <Button variant="tertiary" size="S" endIcon={<ChevronRight />} disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
          {t('logs.pager.next', 'Next')}
        </Button>
      </Flex>
    </Flex>
  );
};
