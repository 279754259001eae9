/**
 * Pure logic of the selection screens: where the cut line falls in a proposal, how each line is
 * marked (advances, tied at the cut, tie-break, moved up, withdrawn, ineligible), the proposal's
 * summary, and the rules form's weights and tie rule.
 */

import type { components } from '@/api/schema';

export type Schemas = components['schemas'];
export type StandingLine = Schemas['StandingLine'];
export type StageStanding = Schemas['StageStanding'];
export type TieRule = Schemas['TieRule'];

export type LineMark = 'advances' | 'out' | 'tied' | 'tie_break' | 'moved_up' | 'withdrawn' | 'ineligible';

/** The marks shown on one line of a proposal, in display order. */
export function lineMarks(line: StandingLine): LineMark[] {
  const marks: LineMark[] = [];
  if (line.withdrawn_reason != null) marks.push('withdrawn');
  else if (line.ineligible != null) marks.push('ineligible');
  else marks.push(line.advances ? 'advances' : 'out');
  if (line.tied_at_cut) marks.push('tied');
  if (line.decided_by_tie_break) marks.push('tie_break');
  if (line.moved_up) marks.push('moved_up');
  return marks;
}

/**
 * The index of the line after which the cut line is drawn: the last line that advances, provided a
 * line that does not advance follows it; `null` when nobody advances or nobody is left below.
 */
export function cutLineAfter(lines: readonly StandingLine[]): number | null {
  let last = -1;
  lines.forEach((line, i) => {
    if (line.advances) last = i;
  });
  if (last < 0 || last === lines.length - 1) return null;
  return last;
}

export interface ProposalSummary {
  total: number;
  advancing: number;
  /** More advance than the cut (all tied at the cut advance). */
  overCut: boolean;
  /** Some lines are part of a tie straddling the cut. */
  tie: boolean;
}

export function proposalSummary(standing: Pick<StageStanding, 'lines' | 'cut'>): ProposalSummary {
  const counted = standing.lines.filter((l) => l.withdrawn_reason == null);
  const advancing = standing.lines.filter((l) => l.advances).length;
  return {
    total: counted.length,
    advancing,
    overCut: advancing > standing.cut,
    tie: standing.lines.some((l) => l.tied_at_cut),
  };
}

/**
 * The weights typed in the rules form ("30, 70"): `null` for "this stage only" (empty), the
 * numbers when there is one whole percentage per stage up to `stages` summing to 100, otherwise
 * `'invalid'`.
 */
export function parseWeights(text: string, stages: number): number[] | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const parts = trimmed.split(/[\s,，、;；]+/).filter((p) => p !== '');
  if (parts.length !== stages || !parts.every((p) => /^\d{1,3}$/.test(p))) return 'invalid';
  const numbers = parts.map(Number);
  return numbers.reduce((a, b) => a + b, 0) === 100 ? numbers : 'invalid';
}

/** The weights as the form shows them; "this stage only" (0, …, 0, 100) as empty. */
export function weightsText(weights: readonly number[]): string {
  const thisOnly = weights.length > 0 && weights.slice(0, -1).every((w) => w === 0) && weights[weights.length - 1] === 100;
  return thisOnly ? '' : weights.join(', ');
}

/** The tie rule from the form's values, or `null` when the criterion is missing. */
export function tieRuleOf(kind: string, criterion: string): TieRule | null {
  if (kind === 'higher_in_criterion') {
    const c = criterion.trim();
    return c === '' ? null : { rule: 'higher_in_criterion', criterion: c };
  }
  return { rule: 'all_tied_advance' };
}

/** Skill numbers typed as "17, 39": `undefined` when empty (every skill of the previous stage). */
export function parseSkillNumbers(text: string): string[] | undefined {
  const parts = text.split(/[\s,，、;；]+/).map((p) => p.trim()).filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts;
}

/** Who moved up through a withdrawal: advancing now, not before. */
export function movedUpBy(before: readonly StandingLine[], after: readonly StandingLine[]): StandingLine[] {
  const was = new Set(before.filter((l) => l.advances).map((l) => l.entry_id));
  return after.filter((l) => l.advances && !was.has(l.entry_id));
}

export type PathOutcome = 'advanced' | 'not_advanced' | 'pending' | 'not_entered';

/** One step of a competitor's path: advanced, not, not confirmed yet, or never in that stage. */
export function pathOutcome(step: Pick<Schemas['PathStep'], 'entry_id' | 'advanced'>): PathOutcome {
  if (step.entry_id == null) return 'not_entered';
  if (step.advanced == null) return 'pending';
  return step.advanced ? 'advanced' : 'not_advanced';
}
