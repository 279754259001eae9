/** Public results: searching, naming and cycling, without I/O. */

import type { Schemas } from '@/lib/api/queries';
import type { Locale } from '@/lib/i18n';

export type PublicEventResults = Schemas['PublicEventResults'];
export type PublicSkill = Schemas['PublicSkill'];
export type PublicLine = Schemas['PublicLine'];
export type PublicTables = Schemas['PublicTables'];
export type Award = Schemas['Award'];
export type CeremonyView = Schemas['CeremonyView'];
export type EntryResultView = Schemas['EntryResultView'];
export type EntryOutline = Schemas['EntryOutline'];

/** Lower-case, without spaces, so "li na" finds "Li Na" and "张 伟" finds "张伟". */
function fold(text: string): string {
  return text.toLocaleLowerCase().replace(/\s+/g, '');
}

export function lineMatches(line: PublicLine, query: string): boolean {
  const q = fold(query);
  if (q === '') return true;
  return [...line.competitors, line.delegation_code, line.delegation_name_en, line.delegation_name_zh].some((field) =>
    fold(field).includes(q),
  );
}

/** The skills with only the lines matching `query` (skills without a match are left out). */
export function searchResults(skills: readonly PublicSkill[], query: string): PublicSkill[] {
  if (fold(query) === '') return [...skills];
  return skills
    .map((skill) => ({ ...skill, entries: skill.entries.filter((line) => lineMatches(line, query)) }))
    .filter((skill) => skill.entries.length > 0);
}

export function countLines(skills: readonly PublicSkill[]): number {
  return skills.reduce((n, s) => n + s.entries.length, 0);
}

export function skillName(skill: { skill_number: string; skill_name_en: string; skill_name_zh: string }, locale: Locale): string {
  return `${skill.skill_number} ${locale === 'en' ? skill.skill_name_en : skill.skill_name_zh}`;
}

export function delegationName(line: { delegation_code: string; delegation_name_en: string; delegation_name_zh: string }, locale: Locale): string {
  return `${line.delegation_code} ${locale === 'en' ? line.delegation_name_en : line.delegation_name_zh}`;
}

export function bySkillNumber(skills: readonly PublicSkill[]): PublicSkill[] {
  return [...skills].sort((a, b) => a.skill_number.localeCompare(b.skill_number, 'en', { numeric: true }));
}

/** The live board's next skill after `current` (wrapping), or the first. */
export function nextSkill(skills: readonly PublicSkill[], current: string | null): string | null {
  if (skills.length === 0) return null;
  const i = skills.findIndex((s) => s.skill_id === current);
  return (skills[(i + 1) % skills.length] ?? skills[0])?.skill_id ?? null;
}

/** The `results` event of the public stream. */
export interface ResultsChanged {
  event_id: string;
  skill_id: string;
  kind: string;
}

export function parseResultsChanged(data: string): ResultsChanged | null {
  try {
    const value = JSON.parse(data) as Partial<ResultsChanged>;
    if (typeof value.skill_id === 'string' && typeof value.kind === 'string' && typeof value.event_id === 'string') {
      return { event_id: value.event_id, skill_id: value.skill_id, kind: value.kind };
    }
  } catch {
    // Not ours.
  }
  return null;
}

export const MEDAL_AWARDS: readonly Award[] = ['gold', 'silver', 'bronze'];
