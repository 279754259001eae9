/**
 * The chief expert's progress dashboard: what each cell (entry × sub-criterion)
 * means and what can be done with it. The server decides; this mirrors its
 * lock rule (complete and within spread) to offer only actions that can work.
 */

import type { Schemas } from '@/lib/api/queries';

export type SubStatus = Schemas['SubStatus'];
export type EntryProgress = Schemas['EntryProgress'];

export type CellState = 'locked' | 'ready' | 'out_of_spread' | 'incomplete' | 'empty';

export function cellState(sub: SubStatus): CellState {
  if (sub.locked) return 'locked';
  if (sub.out_of_spread.length > 0) return 'out_of_spread';
  if (sub.aspects > 0 && sub.marked === sub.aspects && sub.missing.length === 0) return 'ready';
  return sub.marked === 0 ? 'empty' : 'incomplete';
}

export interface ProgressSummary {
  cells: number;
  locked: number;
  ready: number;
  outOfSpread: number;
  incomplete: number;
}

export function summarise(progress: readonly EntryProgress[]): ProgressSummary {
  const summary: ProgressSummary = { cells: 0, locked: 0, ready: 0, outOfSpread: 0, incomplete: 0 };
  for (const entry of progress) {
    for (const sub of entry.sub_criteria) {
      summary.cells += 1;
      const state = cellState(sub);
      if (state === 'locked') summary.locked += 1;
      else if (state === 'ready') summary.ready += 1;
      else if (state === 'out_of_spread') summary.outOfSpread += 1;
      else summary.incomplete += 1;
    }
  }
  return summary;
}

/** The sub-criteria in the order they first appear (the scheme's order). */
export function subCriteriaOf(progress: readonly EntryProgress[]): string[] {
  const seen: string[] = [];
  for (const entry of progress) for (const sub of entry.sub_criteria) if (!seen.includes(sub.sub_criterion)) seen.push(sub.sub_criterion);
  return seen;
}

export type ProgressFilter = 'all' | 'attention' | 'ready';

/** Entries to show: all; those needing attention (out of spread, incomplete or unmarked); those ready to lock. */
export function filterEntries(progress: readonly EntryProgress[], filter: ProgressFilter): EntryProgress[] {
  if (filter === 'all') return [...progress];
  return progress.filter((entry) =>
    entry.sub_criteria.some((sub) => {
      const state = cellState(sub);
      return filter === 'ready' ? state === 'ready' : state === 'out_of_spread' || state === 'incomplete' || state === 'empty';
    }),
  );
}

/** By workstation (entries without one last), then by id for a stable order. */
export function sortByWorkstation(progress: readonly EntryProgress[]): EntryProgress[] {
  return [...progress].sort(
    (a, b) => (a.workstation ?? Number.MAX_SAFE_INTEGER) - (b.workstation ?? Number.MAX_SAFE_INTEGER) || a.entry_id.localeCompare(b.entry_id),
  );
}

export interface Cell {
  entryId: string;
  sub: string;
}

/** What "lock all" would do: the cells ready to lock, and those it leaves (out of spread, not fully marked). */
export function lockPlan(progress: readonly EntryProgress[]): { ready: Cell[]; outOfSpread: Cell[]; incomplete: Cell[] } {
  const plan = { ready: [] as Cell[], outOfSpread: [] as Cell[], incomplete: [] as Cell[] };
  for (const entry of sortByWorkstation(progress)) {
    for (const sub of entry.sub_criteria) {
      const state = cellState(sub);
      const cell = { entryId: entry.entry_id, sub: sub.sub_criterion };
      if (state === 'ready') plan.ready.push(cell);
      else if (state === 'out_of_spread') plan.outOfSpread.push(cell);
      else if (state !== 'locked') plan.incomplete.push(cell);
    }
  }
  return plan;
}
