import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { PhaseBadge } from '@/components/PhaseBadge';
import { useLocale } from '@/lib/locale';
import { AspectMarksTable } from '@/components/AspectMarksTable';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { useAllEntries, useApi, useEvent, useSkills, type Entry, type Skill } from '@/lib/api/queries';
import { useDelegation } from '@/lib/delegation';
import { formatDateTime, formatMarks, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { PublicationProblem } from './PublicationProblem';
import { publicationKeys } from './api';
import { disputeWindow, hundredthsOf, type EntryResultView } from './model';
import { AwardText } from './parts';
import './publication.css';

/**
 * A team leader's results (`/events/:eventId/team/:delegationId/results`): each entry's result
 * as released to the delegation, mark by mark, its disputes, and filing a dispute (optionally
 * about one aspect) within the public notice period.
 */
export function TeamResultsPage() {
  const { eventId = '', delegationId = '' } = useParams();
  const { t } = useTranslation('publication');
  // Asked for at once: the event (its time zone) is not left to wait for the results.
  const entries = useAllEntries(eventId, { delegation_id: delegationId });
  const skills = useSkills(eventId);
  const zone = useEvent(eventId).data?.time_zone;
  const { name } = useDelegation(eventId, delegationId);
  return (
    <>
      <PageTitle>{t('teamResultsTitle', { delegation: name })}</PageTitle>
      <p className="muted">{t('teamResultsIntro')}</p>
      <QueryView query={entries}>
        {(list) => {
          const confirmed = list.filter((e) => e.status === 'confirmed');
          if (confirmed.length === 0) return <p className="muted">{t('noTeamEntries')}</p>;
          const number = (e: Entry) => skills.data?.find((s) => s.id === e.skill_id)?.number ?? '';
          return [...confirmed]
            .sort((a, b) => number(a).localeCompare(number(b)))
            .map((entry) => (
              <EntryResult
                key={entry.id}
                eventId={eventId}
                zone={zone}
                entry={entry}
                skill={skills.data?.find((s) => s.id === entry.skill_id)}
              />
            ));
        }}
      </QueryView>
    </>
  );
}

function EntryResult({
  eventId,
  zone,
  entry,
  skill,
}: {
  eventId: string;
  zone: string | undefined;
  entry: Entry;
  skill: Skill | undefined;
}) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const result = useQuery({
    queryKey: publicationKeys.entryResult(entry.id),
    queryFn: () => unwrap(client.GET('/api/v1/entries/{id}/result', { params: { path: { id: entry.id } } })),
  });
  const skillName = skill === undefined ? '' : `${skill.number} ${locale === 'en' ? skill.name_en : skill.name_zh}`;
  const names = entry.competitors.map((c) => c.name).join(locale === 'en' ? ', ' : '、');
  // Before the release, and for an entry the release does not hold yet (confirmed after it), there
  // is nothing to show: a normal state, not an error to retry.
  const code = result.isError ? problemOf(result.error).code : undefined;
  const waiting = code === 'results_not_published' ? 'notPublished' : code === 'entry_without_results' ? 'noResultsYet' : null;
  return (
    <section className="card" aria-labelledby={`entry-${entry.id}`} data-testid="team-result" data-skill={skill?.number}>
      <h2 id={`entry-${entry.id}`}>{t('entryOf', { skill: skillName, names: names === '' ? '—' : names })}</h2>
      {waiting !== null ? (
        <p className="muted">{t(waiting)}</p>
      ) : (
        <QueryView query={result}>{(view) => <ResultView eventId={eventId} zone={zone} view={view} skillName={skillName} />}</QueryView>
      )}
    </section>
  );
}

function ResultView({
  eventId,
  zone,
  view,
  skillName,
}: {
  eventId: string;
  zone: string | undefined;
  view: EntryResultView;
  skillName: string;
}) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [aspect, setAspect] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [filed, setFiled] = useState(false);
  const line = view.result;
  const when = (instant: string) => formatDateTime(instant, locale, zone);
  const marks = (raw: string) => {
    const h = hundredthsOf(raw);
    return h === null ? raw : formatMarks(h, locale);
  };
  const period = disputeWindow(view);
  const close = () => {
    setOpen(false);
    setAspect('');
    setReason('');
  };

  const file = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/entries/{id}/disputes', {
          params: { path: { id: line.entry_id } },
          body: { reason: reason.trim(), ...(aspect === '' ? {} : { aspect }) },
        }),
      ),
    onSuccess: () => {
      close();
      setFiled(true);
      void queryClient.invalidateQueries({ queryKey: publicationKeys.entryResult(line.entry_id) });
      void queryClient.invalidateQueries({ queryKey: publicationKeys.disputes(eventId) });
    },
    onError: (error) => {
      close();
      setProblem(problemOf(error));
    },
  });

  return (
    <>
      <p>
        <PhaseBadge status={{ state: view.state, audience: view.notice_ends != null ? 'public' : 'delegations' }} />{' '}
        <span data-testid="team-result-score">
          {t('rank')} {formatNumber(line.rank, locale)} · {t('score')} {formatNumber(line.score, locale)}
          {line.raw !== '' && ` · ${t('raw')} ${marks(line.raw)}`} · {t('award')} <AwardText award={line.award} />
        </span>
      </p>
      <p className="muted">
        {period === 'over' ? t('noticeOver') : view.notice_ends != null ? t('noticeUntil', { when: when(view.notice_ends) }) : t('noticeNotStarted')}
      </p>
      {view.under_review && <p className="notice">{t('resultUnderReview')}</p>}
      {view.aspects.length > 0 && (
        <details>
          <summary>{t('marks')}</summary>
          <div className="table-wrap">
            <AspectMarksTable
              aspects={view.aspects}
              columns={{ key: t('aspectKey'), description: t('description'), mark: t('mark'), max: t('max'), judges: t('judgeScores') }}
              formatMark={marks}
              formatScore={(s) => formatNumber(s, locale)}
            />
          </div>
        </details>
      )}
      {view.disputes.length > 0 && (
        <>
          <h3>{t('yourDisputes')}</h3>
          <ul>
            {view.disputes.map((d) => (
              <li key={d.id} data-dispute={d.id}>
                {when(d.filed_at)} · {d.aspect ?? t('wholeResult')} ·{' '}
                <strong>{d.status === 'open' || d.status === 'upheld' || d.status === 'rejected' ? t(`dispute_${d.status}`) : d.status}</strong>
                <div className="publication-reason">{d.reason}</div>
                {d.resolution != null && (
                  <div className="publication-reason muted">
                    {t('labelled', { label: t('resolution'), text: d.resolution })}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {period === 'open' && (
        <div className="publication-actions">
          <button
            type="button"
            className="button button-secondary"
            aria-label={t('fileDisputeOf', { skill: skillName })}
            onClick={() => {
              setProblem(null);
              setFiled(false);
              setOpen(true);
            }}
          >
            {t('fileDispute')}
          </button>
        </div>
      )}
      <PublicationProblem problem={problem} />
      {filed && (
        <p className="notice notice-success" role="status">
          {t('disputeFiled')}
        </p>
      )}
      <ConfirmDialog
        open={open}
        title={t('disputeTitle', { skill: skillName })}
        confirmLabel={t('disputeConfirm')}
        busy={file.isPending}
        confirmDisabled={reason.trim() === ''}
        onConfirm={() => file.mutate()}
        onCancel={close}
      >
        <div className="field">
          <label className="field-label" htmlFor={`dispute-aspect-${line.entry_id}`}>
            {t('disputeAspect')}
          </label>
          <p className="field-hint" id={`dispute-aspect-hint-${line.entry_id}`}>
            {t('disputeAspectHint')}
          </p>
          <select
            id={`dispute-aspect-${line.entry_id}`}
            className="field-input"
            aria-describedby={`dispute-aspect-hint-${line.entry_id}`}
            value={aspect}
            onChange={(e) => setAspect(e.target.value)}
          >
            <option value="">{t('wholeResult')}</option>
            {view.aspects.map((a) => (
              <option key={a.key} value={a.key}>
                {a.key} {a.description}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`dispute-reason-${line.entry_id}`}>
            {t('disputeReason')}
          </label>
          <p className="field-hint" id={`dispute-reason-hint-${line.entry_id}`}>
            {t('disputeReasonHint')}
          </p>
          <textarea
            id={`dispute-reason-${line.entry_id}`}
            className="field-input"
            rows={4}
            maxLength={2000}
            required
            aria-describedby={`dispute-reason-hint-${line.entry_id}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      </ConfirmDialog>
    </>
  );
}
