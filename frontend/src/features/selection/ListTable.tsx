import { useTranslation } from 'react-i18next';

import { SelectionListTable as Table } from '@/components/SelectionListTable';

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
  return <Table lines={list.lines} labels={labels} testId={testId} />;
}
