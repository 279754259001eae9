import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';
import { formatNumber } from '@/lib/format';

interface PaginationProps {
  page: number;
  perPage: number;
  total: number;
  onPage: (page: number) => void;
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** Previous / next with "page x of y (n rows)". */
export function Pagination({ page, perPage, total, onPage }: PaginationProps) {
  const { t } = useTranslation('console');
  const { locale } = useLocale();
  const pages = pageCount(total, perPage);
  return (
    <nav className="pagination" aria-label={t('pagination')}>
      <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('previousPage')}
      </button>
      <span aria-live="polite">
        {t('pageOf', { page: formatNumber(page, locale), pages: formatNumber(pages, locale), total: formatNumber(total, locale) })}
      </span>
      <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('nextPage')}
      </button>
    </nav>
  );
}
