/**
 * The organiser's list of every delegation's entries: filtered and sorted in memory (the whole
 * event is read once, a few thousand entries), and which status changes each entry allows —
 * the same transitions the server accepts (`domain::registration::entry_transition`).
 */

import type { Delegation, Entry, Skill } from '@/lib/api/queries';

export type EntryStatus = Entry['status'];
export type EntryAction = 'confirm' | 'reopen' | 'withdraw' | 'reinstate';

export interface EntryFilter {
  skillId: string;
  delegationId: string;
  status: '' | EntryStatus;
  /** Competitor name, skill number or name, delegation code or name (empty = any). */
  search?: string;
}

export interface EntryRow {
  entry: Entry;
  skill: Skill | undefined;
  delegation: Delegation | undefined;
  teamSize: number;
}

/** Entries matching the filter (empty = any), by skill number then delegation code. */
export function entryRows(
  entries: readonly Entry[],
  skills: readonly Skill[],
  delegations: readonly Delegation[],
  filter: EntryFilter,
): EntryRow[] {
  const skillById = new Map(skills.map((s) => [s.id, s]));
  const delegationById = new Map(delegations.map((d) => [d.id, d]));
  const needle = (filter.search ?? '').trim().toLowerCase();
  const found = (e: Entry) => {
    if (needle === '') return true;
    const skill = skillById.get(e.skill_id);
    const delegation = e.delegation_id == null ? undefined : delegationById.get(e.delegation_id);
    return [
      ...e.competitors.map((c) => c.name),
      skill?.number ?? '',
      skill?.name_zh ?? '',
      skill?.name_en ?? '',
      delegation?.code ?? '',
      delegation?.name_zh ?? '',
      delegation?.name_en ?? '',
    ].some((v) => v.toLowerCase().includes(needle));
  };
  return entries
    .filter(
      (e) =>
        (filter.skillId === '' || e.skill_id === filter.skillId) &&
        (filter.delegationId === '' || e.delegation_id === filter.delegationId) &&
        (filter.status === '' || e.status === filter.status) &&
        found(e),
    )
    .map((entry) => {
      const skill = skillById.get(entry.skill_id);
      return {
        entry,
        skill,
        delegation: entry.delegation_id == null ? undefined : delegationById.get(entry.delegation_id),
        teamSize: skill?.team_size ?? 1,
      };
    })
    .sort(
      (a, b) =>
        (a.skill?.number ?? '').localeCompare(b.skill?.number ?? '', 'en', { numeric: true }) ||
        (a.delegation?.code ?? '').localeCompare(b.delegation?.code ?? '', 'en'),
    );
}

/**
 * What may be done with an entry: confirm a registered one with exactly its team, reopen a
 * confirmed one, withdraw any that is not withdrawn, and reinstate a withdrawn one (back to
 * registered: the server allows any change of status except confirming an incomplete team).
 */
export function entryActions(entry: Pick<Entry, 'status' | 'competitors'>, teamSize: number): EntryAction[] {
  switch (entry.status) {
    case 'registered':
      return entry.competitors.length === teamSize ? ['confirm', 'withdraw'] : ['withdraw'];
    case 'confirmed':
      return ['reopen', 'withdraw'];
    case 'withdrawn':
      return ['reinstate'];
  }
}

export const TARGET_STATUS: Record<EntryAction, EntryStatus> = {
  confirm: 'confirmed',
  reopen: 'registered',
  withdraw: 'withdrawn',
  reinstate: 'registered',
};

/** Counts by status, for the summary above the list. */
export function statusCounts(entries: readonly Entry[]): Record<EntryStatus, number> {
  const counts: Record<EntryStatus, number> = { registered: 0, confirmed: 0, withdrawn: 0 };
  for (const e of entries) counts[e.status] += 1;
  return counts;
}
