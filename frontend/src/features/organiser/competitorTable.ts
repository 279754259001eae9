/**
 * The organiser's competitor list: every competitor of the event, flattened
 * from the entries, then searched, filtered, sorted and paged in memory. An
 * event's ~3,000 competitors are a few hundred kilobytes; doing this in the
 * browser keeps typing in the search box instant (the server offers filters
 * by skill, delegation and status, but no text search or sorting).
 */

import type { Competitor, Delegation, Entry, Skill } from '@/lib/api/queries';

export interface CompetitorRow {
  competitor: Competitor;
  entry: Entry;
  skillNumber: string;
  skillName: string;
  delegationCode: string;
  delegationName: string;
}

export type SortKey = 'name' | 'delegation' | 'skill' | 'birth_date';

export interface TableQuery {
  search: string;
  skillId: string;
  delegationId: string;
  status: string;
  sort: SortKey;
  descending: boolean;
  page: number;
  perPage: number;
}

export function competitorRows(
  entries: readonly Entry[],
  skills: readonly Skill[],
  delegations: readonly Delegation[],
  locale: 'zh-CN' | 'en',
): CompetitorRow[] {
  const skillById = new Map(skills.map((s) => [s.id, s]));
  const delegationById = new Map(delegations.map((d) => [d.id, d]));
  const rows: CompetitorRow[] = [];
  for (const entry of entries) {
    const skill = skillById.get(entry.skill_id);
    const delegation = entry.delegation_id == null ? undefined : delegationById.get(entry.delegation_id);
    for (const competitor of entry.competitors) {
      rows.push({
        competitor,
        entry,
        skillNumber: skill?.number ?? '',
        skillName: skill === undefined ? '' : locale === 'en' ? skill.name_en : skill.name_zh,
        delegationCode: delegation?.code ?? '',
        delegationName: delegation === undefined ? '' : locale === 'en' ? delegation.name_en : delegation.name_zh,
      });
    }
  }
  return rows;
}

/** Lower-cased, trimmed, full-width ASCII folded to half-width (common in Chinese input methods). */
export function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .toLowerCase();
}

function matches(row: CompetitorRow, terms: readonly string[]): boolean {
  const haystack = normalise(
    [row.competitor.name, row.competitor.id_number, row.delegationCode, row.delegationName, row.skillNumber, row.skillName].join(' '),
  );
  return terms.every((term) => haystack.includes(term));
}

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true });

function sortValue(row: CompetitorRow, key: SortKey): string {
  switch (key) {
    case 'name':
      return row.competitor.name;
    case 'delegation':
      return row.delegationCode;
    case 'skill':
      return row.skillNumber;
    case 'birth_date':
      return row.competitor.birth_date ?? '';
  }
}

export interface TablePage {
  rows: CompetitorRow[];
  /** Rows matching the search and filters (before paging). */
  total: number;
  /** The page actually shown (clamped to the last page). */
  page: number;
}

export function queryRows(all: readonly CompetitorRow[], query: TableQuery): TablePage {
  const terms = normalise(query.search).split(/\s+/).filter((term) => term !== '');
  const filtered = all.filter(
    (row) =>
      (query.skillId === '' || row.entry.skill_id === query.skillId) &&
      (query.delegationId === '' || row.entry.delegation_id === query.delegationId) &&
      (query.status === '' || row.entry.status === query.status) &&
      (terms.length === 0 || matches(row, terms)),
  );
  const direction = query.descending ? -1 : 1;
  const sorted = filtered.sort(
    (a, b) =>
      direction * collator.compare(sortValue(a, query.sort), sortValue(b, query.sort)) ||
      collator.compare(a.competitor.name, b.competitor.name) ||
      a.competitor.id.localeCompare(b.competitor.id),
  );
  const pages = Math.max(1, Math.ceil(sorted.length / query.perPage));
  const page = Math.min(Math.max(1, query.page), pages);
  return { rows: sorted.slice((page - 1) * query.perPage, page * query.perPage), total: sorted.length, page };
}
