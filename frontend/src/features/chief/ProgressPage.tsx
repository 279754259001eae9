import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useAllEntries, useApi, useDelegations, type Delegation, type Entry } from '@/lib/api/queries';
import { formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';

import { SkillHeading } from './SkillHeading';
import {
  cellState,
  filterEntries,
  lockPlan,
  sortByWorkstation,
  subCriteriaOf,
  summarise,
  type EntryProgress,
  type ProgressFilter,
  type SubStatus,
} from '@/lib/progress';

/**
 * Marking progress per entry and sub-criterion: marked, missing, out of
 * spread, locked; lock what is complete, unlock with a reason; print the
 * marking form of a sub-criterion for the group to sign.
 */
export function ProgressPage() {
  const { eventId = '', skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const client = useApi();
  const progress = useQuery({
    queryKey: queryKeys.skill(skillId, 'progress'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/progress', { params: { path: { id: skillId } } })),
    refetchInterval: 30_000,
  });
  // The entries and delegations name the rows: asked for with the progress, not after it.
  const entries = useAllEntries(eventId, { skill_id: skillId }).data;
  const delegations = useDelegations(eventId).data;
  return (
    <>
      <SkillHeading title={t('progressTitle')} />
      <QueryView query={progress}>
        {(list) => <ProgressTable skillId={skillId} progress={list} entries={entries} delegations={delegations} />}
      </QueryView>
    </>
  );
}

interface Unlocking {
  entryId: string;
  label: string;
  sub: string;
}

function ProgressTable({
  skillId,
  progress,
  entries,
  delegations,
}: {
  skillId: string;
  progress: EntryProgress[];
  entries: Entry[] | undefined;
  delegations: Delegation[] | undefined;
}) {
  const { t } = useTranslation('chief');
  const { locale, t: common } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [lockingAll, setLockingAll] = useState(false);
  const [lockReport, setLockReport] = useState<string[] | null>(null);
  const [filter, setFilter] = useState<ProgressFilter>('all');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [unlocking, setUnlocking] = useState<Unlocking | null>(null);
  const [reason, setReason] = useState('');
  const subs = subCriteriaOf(progress);
  const summary = summarise(progress);
  const shown = sortByWorkstation(filterEntries(progress, filter));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.skill(skillId, 'progress') });

  const label = (entryId: string): string => {
    const entry = entries?.find((e) => e.id === entryId);
    if (entry?.code != null) return entry.code;
    const d = delegations?.find((x) => x.id === entry?.delegation_id);
    return d?.code ?? entryId.slice(-6);
  };

  const lock = useMutation({
    mutationFn: ({ entryId, sub }: { entryId: string; sub: string }) =>
      unwrap(client.POST('/api/v1/entries/{id}/locks', { params: { path: { id: entryId } }, body: { sub_criterion: sub } })),
    onSuccess: refresh,
    onError: (error) => setProblem(problemOf(error)),
  });
  // Everything that can be locked, in one go: each cell through the lock API, then what was
  // locked and what was not (and why), in words.
  const plan = lockPlan(progress);
  const lockAll = useMutation({
    mutationFn: async () => {
      const locked: string[] = [];
      const refused: string[] = [];
      for (const { entryId, sub } of plan.ready) {
        try {
          await unwrap(client.POST('/api/v1/entries/{id}/locks', { params: { path: { id: entryId } }, body: { sub_criterion: sub } }));
          locked.push(t('cellOf', { entry: label(entryId), sub }));
        } catch (error) {
          refused.push(t('lockRefused', { cell: t('cellOf', { entry: label(entryId), sub }), reason: problemMessage(problemOf(error), common) }));
        }
      }
      const cells = (list: { entryId: string; sub: string }[]) => list.map((c) => t('cellOf', { entry: label(c.entryId), sub: c.sub })).join(t('listSeparator'));
      const report = [locked.length === 0 ? t('lockedNone') : t('lockedList', { count: locked.length, cells: locked.join(t('listSeparator')) })];
      report.push(...refused);
      if (plan.outOfSpread.length > 0) report.push(t('notLockedSpread', { count: plan.outOfSpread.length, cells: cells(plan.outOfSpread) }));
      if (plan.incomplete.length > 0) report.push(t('notLockedIncomplete', { count: plan.incomplete.length, cells: cells(plan.incomplete) }));
      return report;
    },
    onSuccess: (report) => {
      setLockingAll(false);
      setLockReport(report);
      refresh();
    },
  });
  const unlock = useMutation({
    mutationFn: (u: Unlocking) =>
      unwrap(
        client.POST('/api/v1/entries/{id}/locks/{sub}/unlock', {
          params: { path: { id: u.entryId, sub: u.sub } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: () => {
      setUnlocking(null);
      setReason('');
      refresh();
    },
    onError: (error) => {
      setUnlocking(null);
      setProblem(problemOf(error));
    },
  });

  /** The sub-criterion's form with the marks, or `blank` for paper marking (workstation order). */
  const printForm = async (sub: string, blank = false) => {
    setProblem(null);
    // The form needs the sign-in, which a plain link would not carry: fetch it, then show it.
    const opened = window.open('', '_blank');
    try {
      const html = await unwrap(
        client.GET('/api/v1/skills/{id}/marking-form', {
          params: { path: { id: skillId }, query: { sub_criterion: sub, lang: locale, blank } },
          parseAs: 'text',
        }),
      );
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      if (opened === null) window.location.assign(url);
      else opened.location.href = url;
    } catch (error) {
      opened?.close();
      setProblem(problemOf(error));
    }
  };

  const cell = (entry: EntryProgress, s: SubStatus) => {
    const state = cellState(s);
    const name = label(entry.entry_id);
    return (
      <td key={s.sub_criterion} className={`progress-cell progress-${state}`} data-sub={s.sub_criterion}>
        <span>
          {formatNumber(s.marked, locale)}/{formatNumber(s.aspects, locale)}
        </span>{' '}
        <span className={state === 'out_of_spread' ? 'cell-bad' : state === 'locked' || state === 'ready' ? 'cell-ok' : 'muted'}>
          {t(`cell_${state}`)}
        </span>
        {(s.missing.length > 0 || s.out_of_spread.length > 0) && (
          <span className="visually-hidden">
            {s.missing.length > 0 && ` ${t('missingAspects', { aspects: s.missing.join(', ') })}`}
            {s.out_of_spread.length > 0 && ` ${t('spreadAspects', { aspects: s.out_of_spread.join(', ') })}`}
          </span>
        )}
        {state === 'ready' && (
          <button
            type="button"
            className="button button-small"
            aria-label={t('lockOf', { entry: name, sub: s.sub_criterion })}
            onClick={() => {
              setProblem(null);
              lock.mutate({ entryId: entry.entry_id, sub: s.sub_criterion });
            }}
          >
            {t('lock')}
          </button>
        )}
        {state === 'locked' && (
          <button
            type="button"
            className="button button-secondary button-small"
            aria-label={t('unlockOf', { entry: name, sub: s.sub_criterion })}
            onClick={() => {
              setProblem(null);
              setUnlocking({ entryId: entry.entry_id, label: name, sub: s.sub_criterion });
            }}
          >
            {t('unlock')}
          </button>
        )}
      </td>
    );
  };

  return (
    <>
      <section className="card" aria-labelledby="summary">
        <h2 id="summary">{t('summary')}</h2>
        <p>
          {t('summaryText', {
            locked: formatNumber(summary.locked, locale),
            cells: formatNumber(summary.cells, locale),
            ready: formatNumber(summary.ready, locale),
            spread: formatNumber(summary.outOfSpread, locale),
            incomplete: formatNumber(summary.incomplete, locale),
          })}
        </p>
        <progress max={Math.max(1, summary.cells)} value={summary.locked} aria-label={t('lockedShare')} />
        <p>
          <button
            type="button"
            className="button"
            aria-disabled={plan.ready.length === 0}
            onClick={() => {
              if (plan.ready.length === 0) return;
              setProblem(null);
              setLockReport(null);
              setLockingAll(true);
            }}
          >
            {t('lockAll', { count: plan.ready.length })}
          </button>
        </p>
        <div role="status">
          {lockReport !== null && (
            <ul className="notice" data-testid="lock-report">
              {lockReport.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
        <SelectField label={t('show')} name="filter" value={filter} onChange={(e) => setFilter(e.target.value as ProgressFilter)}>
          <option value="all">{t('showAll')}</option>
          <option value="attention">{t('showAttention')}</option>
          <option value="ready">{t('showReady')}</option>
        </SelectField>
      </section>
      <ProblemAlert problem={problem} />
      {progress.length === 0 ? (
        <p className="muted">{t('noConfirmedEntries')}</p>
      ) : (
        <div className="table-wrap">
          <table className="progress-grid">
            <thead>
              <tr>
                <th scope="col" className="progress-rowhead">
                  {t('workstation')}
                </th>
                <th scope="col" className="progress-rowhead">
                  {t('entry')}
                </th>
                {subs.map((s) => (
                  <th scope="col" key={s}>
                    {s}{' '}
                    <button type="button" className="sort-button" onClick={() => void printForm(s)} aria-label={t('printFormOf', { sub: s })}>
                      {t('printForm')}
                    </button>{' '}
                    <button type="button" className="sort-button" onClick={() => void printForm(s, true)} aria-label={t('printBlankFormOf', { sub: s })}>
                      {t('printBlankForm')}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.entry_id}>
                  <td className="num">{entry.workstation ?? '—'}</td>
                  <th scope="row">{label(entry.entry_id)}</th>
                  {entry.sub_criteria.map((s) => cell(entry, s))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={lockingAll}
        title={t('lockAllTitle')}
        confirmLabel={t('lockAllConfirm', { count: plan.ready.length })}
        busy={lockAll.isPending}
        onConfirm={() => lockAll.mutate()}
        onCancel={() => setLockingAll(false)}
      >
        <p>{t('lockAllText', { count: plan.ready.length, entries: new Set(plan.ready.map((c) => c.entryId)).size })}</p>
        {plan.outOfSpread.length + plan.incomplete.length > 0 && (
          <p>{t('lockAllLeft', { spread: plan.outOfSpread.length, incomplete: plan.incomplete.length })}</p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={unlocking !== null}
        title={unlocking === null ? '' : t('unlockTitle', { entry: unlocking.label, sub: unlocking.sub })}
        confirmLabel={t('unlock')}
        busy={unlock.isPending}
        confirmDisabled={reason.trim() === ''}
        onConfirm={() => unlocking !== null && unlock.mutate(unlocking)}
        onCancel={() => {
          setUnlocking(null);
          setReason('');
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="unlock-reason">
            {t('unlockReason')}
          </label>
          <p className="field-hint" id="unlock-reason-hint">
            {t('unlockReasonHint')}
          </p>
          <textarea
            id="unlock-reason"
            className="field-input"
            rows={3}
            required
            aria-describedby="unlock-reason-hint"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      </ConfirmDialog>
    </>
  );
}
