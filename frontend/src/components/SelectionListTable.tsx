import type { ReactNode } from 'react';

import type { components } from '@/api/schema';
import { RecordTable, type Column } from '@/components/RecordList';
import { useLocale } from '@/lib/locale';

type ListLine = components['schemas']['ListLine'];

/** The words of a squad or team list's table, from the screen's own strings. */
export interface SelectionListLabels {
  skill: string;
  place: string;
  rank: string;
  entry: string;
  delegation: string;
  standing: string;
  member: string;
  alternate: string;
  /** Shown when the list has no line. */
  empty: string;
}

/** The competitors of a line, as one name list in the screen's language. */
export function competitorNames(line: Pick<ListLine, 'competitors'>, locale: string): string {
  return line.competitors.join(locale === 'en' ? ', ' : '、');
}

/**
 * A squad list (who advanced from a stage) or the national team: skill, place (in a team list),
 * rank, competitors, delegation and standing; each row a labelled card on a phone. `entry`
 * renders the competitors' cell (e.g. as a link to their path).
 */
export function SelectionListTable({
  lines,
  labels,
  testId,
  entry,
}: {
  lines: readonly ListLine[];
  labels: SelectionListLabels;
  testId?: string | undefined;
  entry?: (line: ListLine) => ReactNode;
}) {
  const { locale } = useLocale();
  const team = lines.some((l) => l.place != null);
  const place = (l: ListLine) => (l.place == null ? '—' : l.place === 'member' ? labels.member : labels.alternate);
  const columns: Column<ListLine>[] = [
    {
      header: labels.skill,
      className: 'selection-list-skill',
      cell: (l) => `${l.skill_number} ${locale === 'en' ? l.skill_name_en : l.skill_name_zh}`,
    },
    ...(team ? [{ header: labels.place, cell: place }] : []),
    { header: labels.rank, num: true, cell: (l) => l.rank },
    { header: labels.entry, rowHeader: true, cell: (l) => entry?.(l) ?? competitorNames(l, locale) },
    {
      header: labels.delegation,
      cell: (l) => (
        <>
          {l.delegation_code} <span className="muted">{locale === 'en' ? l.delegation_name_en : l.delegation_name_zh}</span>
        </>
      ),
    },
    { header: labels.standing, num: true, cell: (l) => l.standing },
  ];
  return (
    <RecordTable
      items={lines}
      columns={columns}
      rowKey={(l) => `${l.entry_id}:${l.place ?? ''}`}
      empty={labels.empty}
      className="selection-cards"
      testId={testId}
      labelled
    />
  );
}
