/** Which released selection lists and lines a team leader's screen shows. */

import type { components } from '@/api/schema';

type ReleasedProgramme = components['schemas']['ReleasedProgramme'];
type ListLine = components['schemas']['ListLine'];

/** The programmes one of whose stages is the team leader's event. */
export function programmesOfEvent(programmes: readonly ReleasedProgramme[], eventId: string): ReleasedProgramme[] {
  return programmes.filter((p) => p.event_ids.includes(eventId));
}

/**
 * The delegation's own lines. A delegation keeps its code from stage to stage (the competitors
 * carried over are entered under the same code in the next stage's event), so lines are matched
 * by code; nothing while the code is not known yet.
 */
export function ownLines(lines: readonly ListLine[], code: string | undefined): ListLine[] {
  if (code === undefined || code === '') return [];
  return lines.filter((l) => l.delegation_code === code);
}
