/**
 * Eligibility as the server checks it, shown while the team leader types:
 * the competitor's age in the calendar year of the competition
 * (`competition year − birth year`) must not exceed the skill's age limit.
 */

export type Eligibility =
  | { state: 'incomplete' }
  | { state: 'invalid' }
  | { state: 'eligible'; age: number; limit: number }
  | { state: 'too_old'; age: number; limit: number };

/** `birthDate` as typed (`YYYY-MM-DD`), the event's first competition day (`YYYY-MM-DD`), the skill's limit. */
export function eligibility(birthDate: string, c1Date: string, ageLimit: number): Eligibility {
  const trimmed = birthDate.trim();
  if (trimmed === '') return { state: 'incomplete' };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const competitionYear = Number(c1Date.slice(0, 4));
  if (match === null || !Number.isInteger(competitionYear)) return { state: 'invalid' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Rejects 2005-02-30 and the like, which Date would roll over into March.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { state: 'invalid' };
  }
  const age = competitionYear - year;
  if (age < 0) return { state: 'invalid' };
  return age <= ageLimit ? { state: 'eligible', age, limit: ageLimit } : { state: 'too_old', age, limit: ageLimit };
}

/** The earliest eligible birth year: people born in it or later are within the limit. */
export function earliestBirthYear(c1Date: string, ageLimit: number): number {
  return Number(c1Date.slice(0, 4)) - ageLimit;
}
