import { useTranslation } from 'react-i18next';

import { competitorNames, SelectionListTable as Table } from '@/components/SelectionListTable';
import { formatDateTime } from '@/lib/format';
import { useLocale } from '@/lib/locale';

import type { Schemas } from './model';

type SelectionList = Schemas['SelectionList'];

/** A squad list or the national team in the selection screens' words. */
export function SelectionListTable({ list, testId, empty }: { list: SelectionList; testId?: string | undefined; empty?: string | undefined }) {
  const { t } = useTranslation('selection');
  const labels = {
    skill: t('skill'),
    place: t('place'),
    rank: t('rank'),
    entry: t('entry'),
    delegation: t('delegation'),
    standing: t('standing'),
    member: t('place_member'),
    alternate: t('place_alternate'),
    empty: empty ?? t('noLines'),
  };
  return (
    <>
      <ListStateNote list={list} />
      <Table lines={list.lines} labels={labels} testId={testId} entry={(line) => <LineNames line={line} />} />
    </>
  );
}

type Line = SelectionList['lines'][number];

/** A line's competitors, marked when a dispute about their skill is open. */
function LineNames({ line }: { line: Line }) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  return (
    <>
      {competitorNames(line, locale)}
      {line.under_review && <span className="badge badge-warning"> {t('lineUnderReview')}</span>}
    </>
  );
}

/** Where the list's announcement (公示) stands: not announced, until when disputes may come, under review, final. */
export function ListStateNote({ list }: { list: SelectionList }) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const ends = list.notice_ends == null ? '' : formatDateTime(list.notice_ends, locale, list.time_zone);
  const text = {
    not_announced: t('listNotAnnounced'),
    announced: t('listAnnounced', { ends }),
    under_review: t('listUnderReview'),
    final: t('listFinal', { ends }),
  }[list.state];
  return (
    <p className="muted" data-testid="list-state" data-state={list.state}>
      {text}
    </p>
  );
}
