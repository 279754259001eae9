import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';
import type { FieldError, Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';

interface ProblemAlertProps {
  problem: Problem | null;
  /** Field errors the form could not place next to a field. */
  otherErrors?: readonly FieldError[];
}

/**
 * A form's or screen's alert: the translated problem, the field errors that
 * have no field on screen, and a file's problems by row. The live region is
 * always present so that screen readers announce what appears in it.
 */
export function ProblemAlert({ problem, otherErrors = [] }: ProblemAlertProps) {
  const { t } = useLocale();
  const { t: tc } = useTranslation('console');
  const headline = (p: Problem): string => {
    if (p.code === 'validation_failed' && otherErrors.length === 0) return tc('fixFields');
    // Someone else saved first (the request named an older version): say so plainly.
    if (p.code === 'version_conflict') return tc('versionConflict');
    if (p.code === 'forbidden') return tc('forbidden');
    return problemMessage(p, t);
  };
  return (
    <div role="alert" className={problem === null ? 'form-alert form-alert-empty' : 'form-alert'}>
      {problem !== null && (
        <>
          <p>{headline(problem)}</p>
          {otherErrors.length > 0 && (
            <ul>
              {otherErrors.map((e) => (
                <li key={`${e.field}:${e.message}`}>
                  <code>{e.field}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          {problem.rows !== undefined && (
            <ul>
              {problem.rows.map((r) => (
                <li key={`${r.row}:${r.column}:${r.message}`}>
                  {tc('rowProblem', { row: r.row, column: r.column === '' ? '—' : r.column })} {r.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
