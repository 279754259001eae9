import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';
import { problemOf } from '@/lib/api/client';
import type { Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';

interface QueryViewProps<T> {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  /** Says what a particular problem means on this screen (e.g. 404: "not in any programme"); `undefined` for the usual message and retry. */
  error?: (problem: Problem) => ReactNode;
}

/** Loading and error states of a query, then its data. */
export function QueryView<T>({ query, children, error }: QueryViewProps<T>) {
  const { t } = useTranslation('console');
  const { t: common } = useLocale();
  if (query.isPending) {
    return (
      <p role="status" className="muted">
        {t('loading')}
      </p>
    );
  }
  if (query.isError) {
    const problem = problemOf(query.error);
    const own = error?.(problem);
    if (own !== undefined) return <>{own}</>;
    return (
      <div className="notice notice-error" role="alert">
        <p>{problemMessage(problem, common)}</p>
        <button type="button" className="button button-secondary" onClick={() => void query.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}
