import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/app/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { Pagination } from '@/components/Pagination';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useAllEntries, useApi, useDelegations, useSkills, type Delegation, type Entry, type Skill } from '@/lib/api/queries';
import { formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { EntryFilterFields } from './EntryFilterFields';
import { entryActions, entryRows, statusCounts, TARGET_STATUS, type EntryAction, type EntryFilter, type EntryRow } from './entryList';

const PER_PAGE = 50;

/** Every delegation's entries, for the organiser: filter, confirm, reopen, withdraw. */
export function EntriesPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const entries = useAllEntries(eventId);
  const skills = useSkills(eventId);
  const delegations = useDelegations(eventId);
  return (
    <>
      <PageTitle>{t('entriesTitle')}</PageTitle>
      <QueryView query={skills}>
        {(ss) => (
          <QueryView query={delegations}>
            {(ds) => (
              <QueryView query={entries}>{(es) => <EntryTable eventId={eventId} entries={es} skills={ss} delegations={ds} />}</QueryView>
            )}
          </QueryView>
        )}
      </QueryView>
    </>
  );
}

interface Pending {
  row: EntryRow;
  action: EntryAction;
}

function EntryTable({
  eventId,
  entries,
  skills,
  delegations,
}: {
  eventId: string;
  entries: Entry[];
  skills: Skill[];
  delegations: Delegation[];
}) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<EntryFilter>({ skillId: '', delegationId: '', status: '' });
  const [page, setPage] = useState(1);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<EntryRow | null>(null);
  const rows = useMemo(() => entryRows(entries, skills, delegations, filter), [entries, skills, delegations, filter]);
  const counts = useMemo(() => statusCounts(entries), [entries]);
  const shown = rows.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const update = (change: Partial<EntryFilter>) => {
    setFilter((f) => ({ ...f, ...change }));
    setPage(1);
  };
  const skillName = (s: Skill | undefined) => (s === undefined ? '' : `${s.number} ${locale === 'en' ? s.name_en : s.name_zh}`);
  const delegationName = (d: Delegation | undefined) =>
    d === undefined ? '' : `${d.code} ${locale === 'en' ? d.name_en : d.name_zh}`;

  const change = useMutation({
    mutationFn: ({ row, action }: Pending) =>
      unwrap(
        client.POST('/api/v1/entries/{id}/status', {
          params: { path: { id: row.entry.id } },
          body: { status: TARGET_STATUS[action], version: row.entry.version },
        }),
      ),
    onSuccess: (updated, { row }) => {
      setWithdrawing(null);
      setNotice(
        t('entryStatusChanged', {
          skill: skillName(row.skill),
          delegation: delegationName(row.delegation),
          status: t(`entryStatus_${updated.status}`),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
    },
    onError: (error) => {
      setWithdrawing(null);
      setProblem(problemOf(error));
      // A conflict means the list is out of date: show the current state.
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
    },
  });

  const act = (row: EntryRow, action: EntryAction) => {
    setProblem(null);
    setNotice(null);
    if (action === 'withdraw') setWithdrawing(row);
    else change.mutate({ row, action });
  };

  return (
    <>
      <p className="muted">
        {t('entryCounts', {
          total: formatNumber(entries.length, locale),
          registered: formatNumber(counts.registered, locale),
          confirmed: formatNumber(counts.confirmed, locale),
          withdrawn: formatNumber(counts.withdrawn, locale),
        })}
      </p>
      <form className="card filters" role="search" aria-label={t('entryFilters')} onSubmit={(e) => e.preventDefault()}>
        <EntryFilterFields
          skills={skills}
          delegations={delegations}
          value={filter}
          onChange={(change) => update(change as Partial<EntryFilter>)}
        />
      </form>
      <ProblemAlert problem={problem} />
      <p role="status" className={notice === null ? 'visually-hidden' : 'notice notice-success'}>
        {notice ?? ''}
      </p>
      <div className="table-wrap">
        <table className="entries-table" aria-rowcount={rows.length}>
          <caption className="visually-hidden">{t('entriesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('skill')}</th>
              <th scope="col">{t('delegation')}</th>
              <th scope="col">{t('entryTeam')}</th>
              <th scope="col">{t('entryStatus')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              // Several entries of one delegation in a skill differ by their competitors.
              const names = row.entry.competitors.map((c) => c.name).join(', ');
              const label = `${row.skill?.number ?? ''} ${row.delegation?.code ?? ''}${names === '' ? '' : ` (${names})`}`;
              return (
                <tr key={row.entry.id}>
                  <td>{skillName(row.skill)}</td>
                  <td>{delegationName(row.delegation)}</td>
                  <td>
                    <span className="num">
                      {row.entry.competitors.length}/{row.teamSize}
                    </span>{' '}
                    <span className="muted">{names}</span>
                  </td>
                  <td>
                    <span className={`badge badge-${row.entry.status}`}>{t(`entryStatus_${row.entry.status}`)}</span>
                  </td>
                  <td className="row-actions">
                    {entryActions(row.entry, row.teamSize).map((action) => (
                      <button
                        key={action}
                        type="button"
                        className={action === 'confirm' ? 'button button-small' : 'button button-secondary button-small'}
                        aria-label={t(`entryAction_${action}_of`, { entry: label })}
                        aria-disabled={change.isPending}
                        onClick={() => {
                          if (!change.isPending) act(row, action);
                        }}
                      >
                        {t(`entryAction_${action}`)}
                      </button>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="muted">{t('noMatches')}</p>}
      <Pagination page={page} perPage={PER_PAGE} total={rows.length} onPage={setPage} />
      <ConfirmDialog
        open={withdrawing !== null}
        title={t('withdrawEntryTitle', {
          skill: skillName(withdrawing?.skill),
          delegation: delegationName(withdrawing?.delegation),
        })}
        confirmLabel={t('entryAction_withdraw')}
        busy={change.isPending}
        onConfirm={() => {
          if (withdrawing !== null) change.mutate({ row: withdrawing, action: 'withdraw' });
        }}
        onCancel={() => setWithdrawing(null)}
      >
        <p>{t('withdrawEntryText')}</p>
      </ConfirmDialog>
    </>
  );
}
