import { describe, expect, it } from 'vitest';

import { judgeRows, leanOf, signedDeviation, sortJudges } from './analytics';

// The server names each judge; an account without a name falls back to its id.
const stats = [
  { judge_id: 'u1', display_name: 'Wang', scores: 12, mean_deviation: 0.5, out_of_spread: 2 },
  { judge_id: 'u2', display_name: 'Li', scores: 12, mean_deviation: -0.25, out_of_spread: 2 },
  { judge_id: 'u3', display_name: '', scores: 10, mean_deviation: 0.05, out_of_spread: 0 },
];

describe('judge analytics', () => {
  it('names judges and says which way they lean', () => {
    const rows = judgeRows(stats);
    expect(rows.map((r) => [r.name, r.lean])).toEqual([
      ['Wang', 'lenient'],
      ['Li', 'severe'],
      ['u3', 'in_line'],
    ]);
    expect(leanOf(0.2)).toBe('lenient');
    expect(leanOf(-0.19)).toBe('in_line');
  });

  it('sorts by distance from the group, by counts and by name', () => {
    const rows = judgeRows(stats);
    expect(sortJudges(rows, 'deviation', true, 'en').map((r) => r.judge_id)).toEqual(['u1', 'u2', 'u3']);
    expect(sortJudges(rows, 'deviation', false, 'en').map((r) => r.judge_id)).toEqual(['u3', 'u2', 'u1']);
    // Equal counts fall back to the name.
    expect(sortJudges(rows, 'out_of_spread', false, 'en').map((r) => r.name)).toEqual(['u3', 'Li', 'Wang']);
    expect(sortJudges(rows, 'name', false, 'en').map((r) => r.name)).toEqual(['Li', 'u3', 'Wang']);
    expect(sortJudges(rows, 'scores', true, 'en').map((r) => r.name)).toEqual(['Wang', 'Li', 'u3']);
  });

  it('prints deviations with their sign', () => {
    expect(signedDeviation(0.333)).toBe('+0.33');
    expect(signedDeviation(-0.5)).toBe('−0.50');
    expect(signedDeviation(-0.001)).toBe('0.00');
  });
});
