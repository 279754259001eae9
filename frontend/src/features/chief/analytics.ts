/**
 * Judge analytics (`GET /skills/{id}/analytics`, `domain::marking::judge_analytics`): per judge,
 * the mean deviation of their judgement scores from the group's mean (in score points, 0–3
 * scale; above 0 lenient, below 0 severe) and how many out-of-spread score sets they were in.
 * Here: the lean in words, and sorting for the table.
 */

import type { Schemas } from '@/lib/api/queries';

export type JudgeStats = Schemas['JudgeAnalytics'];

/**
 * Below this mean deviation (score points) a judge counts as in line with the others: a judge
 * a whole point away from the group in one of every five sets averages 0.2.
 */
export const LEAN_THRESHOLD = 0.2;

export type Lean = 'lenient' | 'severe' | 'in_line';

export function leanOf(meanDeviation: number, threshold = LEAN_THRESHOLD): Lean {
  if (meanDeviation >= threshold) return 'lenient';
  if (meanDeviation <= -threshold) return 'severe';
  return 'in_line';
}

export type SortKey = 'name' | 'scores' | 'deviation' | 'out_of_spread';

export interface JudgeRow extends JudgeStats {
  name: string;
  lean: Lean;
}

/** The stats with the judges' names as the server gives them (the id for an account without one). */
export function judgeRows(stats: readonly JudgeStats[]): JudgeRow[] {
  return stats.map((s) => ({ ...s, name: s.display_name === '' ? s.judge_id : s.display_name, lean: leanOf(s.mean_deviation) }));
}

/**
 * Sorted by `key`; "deviation" sorts by how far from the group (either way), so the judges to
 * talk to come first. Ties by name.
 */
export function sortJudges(rows: readonly JudgeRow[], key: SortKey, descending: boolean, locale: string): JudgeRow[] {
  const value = (r: JudgeRow): number => {
    switch (key) {
      case 'scores':
        return r.scores;
      case 'deviation':
        return Math.abs(r.mean_deviation);
      case 'out_of_spread':
        return r.out_of_spread;
      case 'name':
        return 0;
    }
  };
  const byName = (a: JudgeRow, b: JudgeRow) => a.name.localeCompare(b.name, locale);
  const sorted = [...rows].sort((a, b) => (key === 'name' ? byName(a, b) : value(a) - value(b) || byName(a, b)));
  return descending ? sorted.reverse() : sorted;
}

/** "+0.33", "−0.50", "0.00": signed, two decimals, a real minus sign. */
export function signedDeviation(value: number): string {
  const text = Math.abs(value).toFixed(2);
  if (text === '0.00') return '0.00';
  return value > 0 ? `+${text}` : `−${text}`;
}
