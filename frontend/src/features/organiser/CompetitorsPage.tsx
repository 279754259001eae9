import { useDeferredValue, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { Pagination } from '@/components/Pagination';
import { QueryView } from '@/components/QueryView';
import { TextField } from '@/components/TextField';
import { useAllEntries, useDelegations, useSkills, type Delegation, type Entry, type Skill } from '@/lib/api/queries';
import { useAddressState } from '@/lib/addressState';
import { formatDate } from '@/lib/format';

import { EntryFilterFields } from './EntryFilterFields';
import { competitorRows, queryRows, type SortKey, type TableQuery } from './competitorTable';

const PER_PAGE = 50;

export function CompetitorsPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const entries = useAllEntries(eventId);
  const skills = useSkills(eventId);
  const delegations = useDelegations(eventId);
  return (
    <>
      <PageTitle>{t('competitorsTitle')}</PageTitle>
      <QueryView query={skills}>
        {(ss) => (
          <QueryView query={delegations}>
            {(ds) => <QueryView query={entries}>{(es) => <CompetitorTable entries={es} skills={ss} delegations={ds} />}</QueryView>}
          </QueryView>
        )}
      </QueryView>
    </>
  );
}

function CompetitorTable({ entries, skills, delegations }: { entries: Entry[]; skills: Skill[]; delegations: Delegation[] }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  // Filters, search, order and page live in the address, so a reload or a shared link keeps them.
  const address = useAddressState();
  const search = address.get('q');
  const skillId = address.get('skill');
  const delegationId = address.get('delegation');
  const status = address.get('status');
  const sort = address.get('sort');
  const desc = address.get('desc');
  const query: TableQuery = useMemo(
    () => ({
      search,
      skillId,
      delegationId,
      status,
      sort: isSortKey(sort) ? sort : 'delegation',
      descending: desc === '1',
      page: address.page,
      perPage: PER_PAGE,
    }),
    [search, skillId, delegationId, status, sort, desc, address.page],
  );
  // Typing stays responsive: the table follows the search box at a lower priority.
  const deferred = useDeferredValue(query);
  const all = useMemo(() => competitorRows(entries, skills, delegations, locale), [entries, skills, delegations, locale]);
  const page = useMemo(() => queryRows([...all], deferred), [all, deferred]);
  const update = (change: Partial<TableQuery>) => address.set(addressOf(change));

  const sortHeader = (key: SortKey, label: string) => {
    const active = query.sort === key;
    return (
      <th scope="col" aria-sort={active ? (query.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="sort-button"
          onClick={() => update({ sort: key, descending: active ? !query.descending : false })}
        >
          {label}
          <span aria-hidden="true">{active ? (query.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <>
      <form className="card filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t('search')} type="search" name="search" value={query.search} hint={t('searchHint')} onChange={(e) => update({ search: e.target.value })} />
        <EntryFilterFields skills={skills} delegations={delegations} value={query} onChange={update} />
      </form>
      <div className="table-wrap">
        <table aria-rowcount={page.total}>
          <caption className="visually-hidden">{t('competitorsTitle')}</caption>
          <thead>
            <tr>
              {sortHeader('name', t('name'))}
              {sortHeader('delegation', t('delegation'))}
              {sortHeader('skill', t('skill'))}
              <th scope="col">{t('gender')}</th>
              {sortHeader('birth_date', t('birthDate'))}
              <th scope="col">{t('idNumber')}</th>
              <th scope="col">{t('entryStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <tr key={row.competitor.id}>
                <td className="nowrap">{row.competitor.name}</td>
                <td>
                  <abbr title={row.delegationName}>{row.delegationCode}</abbr>
                </td>
                <td>
                  {row.skillNumber} <span className="muted">{row.skillName}</span>
                </td>
                <td>{t(`gender_${row.competitor.gender}`)}</td>
                <td>{row.competitor.birth_date == null ? '' : formatDate(row.competitor.birth_date, locale)}</td>
                <td className="nowrap">
                  <code>{row.competitor.id_number}</code>
                </td>
                <td>{t(`entryStatus_${row.entry.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.total === 0 && <p className="muted">{t('noMatches')}</p>}
      <Pagination page={page.page} perPage={query.perPage} total={page.total} onPage={(p) => address.set({ page: p })} />
    </>
  );
}

const SORT_KEYS: readonly SortKey[] = ['name', 'delegation', 'skill', 'birth_date'];

function isSortKey(value: string): value is SortKey {
  return (SORT_KEYS as readonly string[]).includes(value);
}

/** A change of the table's query as address parameters (`?q=…&skill=…&sort=name&desc=1`). */
function addressOf(change: Partial<TableQuery>): Record<string, string | number> {
  const names: Record<keyof TableQuery, string> = {
    search: 'q',
    skillId: 'skill',
    delegationId: 'delegation',
    status: 'status',
    sort: 'sort',
    descending: 'desc',
    page: 'page',
    perPage: 'per_page',
  };
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(change) as [keyof TableQuery, TableQuery[keyof TableQuery]][]) {
    if (key === 'perPage') continue;
    out[names[key]] = typeof value === 'boolean' ? (value ? '1' : '') : value;
  }
  return out;
}
