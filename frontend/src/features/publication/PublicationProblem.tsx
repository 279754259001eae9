import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '@/components/ProblemAlert';
import type { FieldError, Problem } from '@/lib/problem';

import { PUBLICATION_PROBLEMS, type PublicationProblemCode } from './model';

/**
 * `ProblemAlert` that says the results workflow's refusals (not all locked, not ratified, the
 * notice period is over, …) in the interface language; other problems as usual.
 */
export function PublicationProblem({ problem, otherErrors }: { problem: Problem | null; otherErrors?: readonly FieldError[] }) {
  const { t } = useTranslation('publication');
  const known = problem !== null && (PUBLICATION_PROBLEMS as readonly string[]).includes(problem.code);
  const shown = known && problem !== null ? { ...problem, detail: t(`problem_${problem.code as PublicationProblemCode}`) } : problem;
  return <ProblemAlert problem={shown} {...(otherErrors === undefined ? {} : { otherErrors })} />;
}
