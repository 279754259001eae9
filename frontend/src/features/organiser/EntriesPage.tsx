import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { SelectionPathLink } from '@/components/SelectionPathLink';
import { Pagination } from '@/components/Pagination';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { TextField } from '@/components/TextField';
import { useAddressState } from '@/lib/addressState';
import { useChosenIds } from '@/lib/chosen';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useAllEntries, useApi, useDashboard, useDelegations, useSkills, type Delegation, type Entry, type Skill } from '@/lib/api/queries';
import { delegationName } from '@/lib/delegation';
import { formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';


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

type BulkAction = 'confirm' | 'withdraw';

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
  const { t: common } = useLocale();
  // Filters, search and page live in the address: a reload keeps them.
  const address = useAddressState();
  const filter: EntryFilter = {
    skillId: address.get('skill'),
    delegationId: address.get('delegation'),
    status: address.get('status') as EntryFilter['status'],
    search: address.get('q'),
  };
  const page = address.page;
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState<Pending | null>(null);
  const { selected, setSelected, toggle } = useChosenIds();
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [bulkBusy, setBulkBusy] = useState(false);
  const [failures, setFailures] = useState<string[]>([]);
  const dashboard = useDashboard(eventId);
  // Skills whose results are out (released to anyone): a changed entry there does not change what was published.
  const released = new Set((dashboard.data ?? []).filter((d) => d.results.audience !== 'none').map((d) => d.skill_id));
  const { skillId, delegationId, status } = filter;
  const search = address.get('q');
  const rows = useMemo(
    () => entryRows(entries, skills, delegations, { skillId, delegationId, status, search }),
    [entries, skills, delegations, skillId, delegationId, status, search],
  );
  const counts = useMemo(() => statusCounts(entries), [entries]);
  const shown = rows.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const update = (change: Partial<EntryFilter>) => {
    const keys: Record<string, string> = {};
    if (change.skillId !== undefined) keys.skill = change.skillId;
    if (change.delegationId !== undefined) keys.delegation = change.delegationId;
    if (change.status !== undefined) keys.status = change.status;
    if (change.search !== undefined) keys.q = change.search;
    address.set(keys);
  };
  const skillName = (s: Skill | undefined) => (s === undefined ? '' : `${s.number} ${locale === 'en' ? s.name_en : s.name_zh}`);

  const change = useMutation({
    mutationFn: ({ row, action }: Pending) =>
      unwrap(
        client.POST('/api/v1/entries/{id}/status', {
          params: { path: { id: row.entry.id } },
          body: { status: TARGET_STATUS[action], version: row.entry.version },
        }),
      ),
    onSuccess: (updated, { row }) => {
      setAsking(null);
      setNotice(
        t('entryStatusChanged', {
          skill: skillName(row.skill),
          delegation: delegationName(row.delegation, locale),
          status: t(`entryStatus_${updated.status}`),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
    },
    onError: (error) => {
      setAsking(null);
      setProblem(problemOf(error));
      // A conflict means the list is out of date: show the current state.
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
    },
  });

  const act = (row: EntryRow, action: EntryAction) => {
    setProblem(null);
    setNotice(null);
    if (action === 'withdraw' || (action === 'reopen' && released.has(row.entry.skill_id))) setAsking({ row, action });
    else change.mutate({ row, action });
  };

  const entryLabel = (row: EntryRow) => {
    const names = row.entry.competitors.map((c) => c.name).join(', ');
    return `${row.skill?.number ?? ''} ${row.delegation?.code ?? ''}${names === '' ? '' : ` (${names})`}`;
  };
  const bulkRows = (action: BulkAction) =>
    rows.filter((r) => selected.has(r.entry.id) && entryActions(r.entry, r.teamSize).includes(action));
  // One request per entry, one after the other; each refusal is reported in words with its entry.
  const runBulk = async (action: BulkAction) => {
    setBulkBusy(true);
    const failed: string[] = [];
    let done = 0;
    for (const row of bulkRows(action)) {
      try {
        await unwrap(
          client.POST('/api/v1/entries/{id}/status', {
            params: { path: { id: row.entry.id } },
            body: { status: TARGET_STATUS[action], version: row.entry.version },
          }),
        );
        done += 1;
      } catch (error) {
        const problem = problemOf(error);
        const worded = problemMessage(problem, common);
        // A code without words of its own is never shown as the server's English detail.
        const why =
          problem.code === 'version_conflict' ? t('bulkChangedMeanwhile') : worded === problem.detail ? t('bulkRefused') : worded;
        failed.push(`${entryLabel(row)}: ${why}`);
      }
    }
    setBulkBusy(false);
    setBulk(null);
    setSelected(new Set());
    setFailures(failed);
    setNotice(t(`bulkDone_${action}`, { done: formatNumber(done, locale), failed: formatNumber(failed.length, locale) }));
    void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
  };
  const pageChosen = shown.length > 0 && shown.every((r) => selected.has(r.entry.id));
  const bulkCount = (action: BulkAction) => ({ count: bulkRows(action).length, n: formatNumber(bulkRows(action).length, locale) });

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
        <TextField
          label={t('search')}
          type="search"
          name="q"
          value={search ?? ''}
          hint={t('entrySearchHint')}
          onChange={(e) => update({ search: e.target.value })}
        />
        <EntryFilterFields
          skills={skills}
          delegations={delegations}
          value={filter}
          onChange={(change) => update(change as Partial<EntryFilter>)}
        />
      </form>
      <div className="form-actions" aria-label={t('bulkActions')} role="group">
        {(['confirm', 'withdraw'] as const).map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'confirm' ? 'button' : 'button button-secondary'}
            disabled={bulkRows(action).length === 0}
            onClick={() => {
              setProblem(null);
              setNotice(null);
              setFailures([]);
              setBulk(action);
            }}
          >
            {t(`bulk_${action}`, bulkCount(action))}
          </button>
        ))}
      </div>
      <ProblemAlert problem={problem} />
      {failures.length > 0 && (
        <div className="notice notice-error" role="alert">
          <p>{t('bulkFailures')}</p>
          <ul>
            {failures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </div>
      )}
      <p role="status" className={notice === null ? 'visually-hidden' : 'notice notice-success'}>
        {notice ?? ''}
      </p>
      <div className="table-wrap">
        <table className="entries-table" aria-rowcount={rows.length}>
          <caption className="visually-hidden">{t('entriesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('selectPage')}
                  checked={pageChosen}
                  onChange={(e) => setSelected(e.target.checked ? new Set([...selected, ...shown.map((r) => r.entry.id)]) : new Set())}
                />
              </th>
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
              const label = entryLabel(row);
              return (
                <tr key={row.entry.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('selectEntry', { entry: label })}
                      checked={selected.has(row.entry.id)}
                      onChange={(e) => toggle(row.entry.id, e.target.checked)}
                    />
                  </td>
                  <td>{skillName(row.skill)}</td>
                  <td>{delegationName(row.delegation, locale)}</td>
                  <td>
                    <span className="num">
                      {row.entry.competitors.length}/{row.teamSize}
                    </span>{' '}
                    <span className="muted">{names}</span>
                  </td>
                  <td>
                    <span className={`badge badge-${row.entry.status}`}>{t(`entryStatus_${row.entry.status}`)}</span>
                    {row.entry.status === 'confirmed' && (
                      <>
                        {' '}
                        <SelectionPathLink entryId={row.entry.id} />
                      </>
                    )}
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
      <Pagination page={page} perPage={PER_PAGE} total={rows.length} onPage={(p) => address.set({ page: p })} />
      <ConfirmDialog
        open={asking !== null}
        title={t(asking?.action === 'reopen' ? 'reopenEntryTitle' : 'withdrawEntryTitle', {
          skill: skillName(asking?.row.skill),
          delegation: delegationName(asking?.row.delegation, locale),
        })}
        confirmLabel={t(asking?.action === 'reopen' ? 'entryAction_reopen' : 'entryAction_withdraw')}
        busy={change.isPending}
        onConfirm={() => {
          if (asking !== null) change.mutate(asking);
        }}
        onCancel={() => setAsking(null)}
      >
        {asking?.action !== 'reopen' && <p>{t('withdrawEntryText')}</p>}
        {asking !== null && released.has(asking.row.entry.skill_id) && <ReleasedWarning />}
      </ConfirmDialog>
      <ConfirmDialog
        open={bulk !== null}
        title={bulk === null ? '' : t(`bulkTitle_${bulk}`, bulkCount(bulk))}
        confirmLabel={bulk === null ? '' : t(`entryAction_${bulk}`)}
        busy={bulkBusy}
        onConfirm={() => {
          if (bulk !== null) void runBulk(bulk);
        }}
        onCancel={() => setBulk(null)}
      >
        {bulk === 'withdraw' && <p>{t('withdrawEntryText')}</p>}
        {bulk !== null && bulkRows(bulk).some((r) => released.has(r.entry.skill_id)) && <ReleasedWarning />}
      </ConfirmDialog>
    </>
  );
}

function ReleasedWarning() {
  const { t } = useTranslation('organiser');
  return (
    <p className="notice notice-warning" data-testid="released-warning">
      {t('entryInReleasedSkill')}
    </p>
  );
}
