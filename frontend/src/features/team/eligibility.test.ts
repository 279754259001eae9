import { describe, expect, it } from 'vitest';

import { earliestBirthYear, eligibility } from './eligibility';

describe('eligibility', () => {
  it('counts the age in the competition year, not on the competition day', () => {
    // Born on 31 December 2004: 21 on 1 June 2026, but 22 in the calendar year 2026.
    expect(eligibility('2004-12-31', '2026-06-01', 22)).toEqual({ state: 'eligible', age: 22, limit: 22 });
    expect(eligibility('2003-12-31', '2026-06-01', 22)).toEqual({ state: 'too_old', age: 23, limit: 22 });
    expect(eligibility('2001-01-01', '2026-06-01', 25)).toEqual({ state: 'eligible', age: 25, limit: 25 });
  });

  it('waits for a complete date and refuses impossible ones', () => {
    expect(eligibility('', '2026-06-01', 22)).toEqual({ state: 'incomplete' });
    expect(eligibility('2005-02-30', '2026-06-01', 22)).toEqual({ state: 'invalid' });
    expect(eligibility('05-02-2005', '2026-06-01', 22)).toEqual({ state: 'invalid' });
    expect(eligibility('2030-01-01', '2026-06-01', 22)).toEqual({ state: 'invalid' });
  });

  it('names the earliest eligible birth year', () => {
    expect(earliestBirthYear('2026-06-01', 22)).toBe(2004);
  });
});
