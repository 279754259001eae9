/**
 * Marking-scheme helpers: problems placed on the line they belong to (the
 * server locates them by path `A`, `A/A1` or `A/A1/2`), totals, and mark
 * amounts typed as decimals ("1.5", "1,50") to and from hundredths.
 */

import type { Schemas } from '@/lib/api/queries';

export type Scheme = Schemas['Scheme'];
export type SchemeProblem = Schemas['SchemeProblem'];

/** Problems keyed by path; problems of the whole scheme under `''`. */
export function problemsByPath(problems: readonly SchemeProblem[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const p of problems) {
    const key = p.path.trim();
    byPath.set(key, [...(byPath.get(key) ?? []), p.message]);
  }
  return byPath;
}

export function aspectPath(criterion: string, sub: string, index: number): string {
  return `${criterion}/${sub}/${index + 1}`;
}

/** The sum of all aspects' maxima, in hundredths. */
export function totalHundredths(scheme: Scheme): number {
  let total = 0;
  for (const c of scheme.criteria) for (const s of c.sub_criteria) for (const a of s.aspects) total += a.max;
  return total;
}

export function countAspects(scheme: Scheme): number {
  return scheme.criteria.reduce((n, c) => n + c.sub_criteria.reduce((m, s) => m + s.aspects.length, 0), 0);
}

/** "1.5", "1,50", " 2 " → hundredths; anything else (or more than two decimals) → null. */
export function parseMarks(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function marksText(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}
