import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { problemOf, unwrap } from '@/lib/api/client';
import { useChosenIds } from '@/lib/chosen';
import { useApi, useEvent, type Event } from '@/lib/api/queries';
import { formatDateTime, formatNumber, fromLocalInput } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { MarkingSummary } from '@/components/dashboard';
import { PhaseBadge } from '@/components/PhaseBadge';
import { useDashboard } from '@/lib/api/queries';

import { PublicationProblem } from './PublicationProblem';
import { publicationKeys, useStatuses } from './api';
import { FilesSection } from './FilesSection';
import {
  awaitsRerelease,
  nextCeremonyStep,
  releasePlan,
  revealedMedals,
  RELEASE_AUDIENCES,
  scheduleProblem,
  type Medal,
  type ReleaseAudience,
  type SkillStatus,
} from './model';
import { RulesSection } from './RulesSection';
import './publication.css';

/**
 * The organiser's publication screen (`/events/:eventId/results`): where each skill's results
 * stand, release per skill or all ratified (now or at a time), the ceremony's reveals, links to
 * the public page and the live board, exports and printouts, the result mails, the result rules.
 */
export function PublicationPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('publication');
  const event = useEvent(eventId);
  const statuses = useStatuses(eventId);
  return (
    <>
      <PageTitle>{t('publicationTitle')}</PageTitle>
      <p className="publication-links">
        {/* The public page and the venue screen are shown elsewhere: their own tabs. */}
        <Link to={`/results/${eventId}`} target="_blank" rel="noopener">
          {t('publicPage')}
        </Link>
        <Link to={`/board/${eventId}`} target="_blank" rel="noopener">
          {t('liveBoard')}
        </Link>
        <Link to={`/events/${eventId}/disputes`}>{t('disputesTitle')}</Link>
      </p>
      <QueryView query={event}>
        {(e) => <QueryView query={statuses}>{(list) => <Publication event={e} statuses={list} />}</QueryView>}
      </QueryView>
      <FilesSection eventId={eventId} />
      <MailSection eventId={eventId} />
      <QueryView query={statuses}>{(list) => <RulesSection eventId={eventId} statuses={list} />}</QueryView>
    </>
  );
}

type StatusFilter = 'all' | 'ratified' | 'draft';

interface Revealing {
  status: SkillStatus;
  step: number;
  medal: Medal;
}

function Publication({ event, statuses }: { event: Event; statuses: SkillStatus[] }) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const { selected, setSelected, toggle } = useChosenIds();
  const [revealing, setRevealing] = useState<Revealing | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const dashboard = useDashboard(event.id);
  const markingOf = new Map((dashboard.data ?? []).map((d) => [d.skill_id, d.marking]));
  const ratified = statuses.filter((s) => s.state !== 'draft');
  const shown = filter === 'all' ? statuses : filter === 'draft' ? statuses.filter((s) => s.state === 'draft') : ratified;
  const when = (instant: string | null | undefined) => (instant == null ? '—' : formatDateTime(instant, locale, event.time_zone));
  const skillName = (s: SkillStatus) => `${s.skill_number} ${locale === 'en' ? s.skill_name_en : s.skill_name_zh}`;

  const allChosen = ratified.length > 0 && ratified.every((s) => selected.has(s.skill_id));

  const [calling, setCalling] = useState<SkillStatus | null>(null);
  const unschedule = useMutation({
    mutationFn: (status: SkillStatus) =>
      unwrap(client.DELETE('/api/v1/skills/{id}/results/schedule', { params: { path: { id: status.skill_id } } })),
    onSuccess: () => {
      setCalling(null);
      void queryClient.invalidateQueries({ queryKey: publicationKeys.statuses(event.id) });
    },
    onError: (error) => {
      setCalling(null);
      setProblem(problemOf(error));
    },
  });

  const reveal = useMutation({
    mutationFn: (r: Revealing) =>
      unwrap(
        client.POST('/api/v1/skills/{id}/results/ceremony', { params: { path: { id: r.status.skill_id } }, body: { step: r.step } }),
      ),
    onSuccess: () => {
      setRevealing(null);
      void queryClient.invalidateQueries({ queryKey: publicationKeys.statuses(event.id) });
    },
    onError: (error) => {
      setRevealing(null);
      setProblem(problemOf(error));
    },
  });

  return (
    <>
      <ReleaseForm event={event} statuses={statuses} selected={selected} onReleased={() => setSelected(new Set())} />
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">{t('statusHeading')}</h2>
        <p className="muted">{t('timesIn', { zone: event.time_zone })}</p>
        <div className="filters">
          <SelectField label={t('show')} name="phase-filter" value={filter} onChange={(e) => setFilter(e.target.value as StatusFilter)}>
            <option value="all">{t('filter_all')}</option>
            <option value="ratified">{t('filter_ratified')}</option>
            <option value="draft">{t('filter_draft')}</option>
          </SelectField>
        </div>
        <PublicationProblem problem={problem} />
        {statuses.length === 0 && <p className="muted">{t('noSkills')}</p>}
        <div className="table-wrap" hidden={statuses.length === 0}>
          <table className="publication-status" data-testid="publication-status">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t('selectAllRatified')}
                    checked={allChosen}
                    disabled={ratified.length === 0}
                    onChange={(e) => setSelected(e.target.checked ? new Set(ratified.map((s) => s.skill_id)) : new Set())}
                  />
                </th>
                <th scope="col">{t('skill')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('marking')}</th>
                <th scope="col">{t('ratifiedAt')}</th>
                <th scope="col">{t('publicAt')}</th>
                <th scope="col">{t('noticeEnds')}</th>
                <th scope="col">{t('scheduled')}</th>
                <th scope="col">{t('ceremony')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => {
                const next = nextCeremonyStep(s);
                return (
                  <tr key={s.skill_id} data-skill={s.skill_number}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('selectSkill', { skill: s.skill_number })}
                        checked={selected.has(s.skill_id)}
                        disabled={s.state === 'draft'}
                        onChange={(e) => toggle(s.skill_id, e.target.checked)}
                      />
                    </td>
                    <th scope="row">
                      <Link to={`/events/${event.id}/skills/${s.skill_id}/results`}>{skillName(s)}</Link>
                    </th>
                    <td>
                      <PhaseBadge status={s} />
                      {s.open_disputes > 0 && (
                        <>
                          {' '}
                          <Link className="badge badge-warning" to={`/events/${event.id}/disputes`}>
                            {t('disputesOpen', { count: s.open_disputes })}
                          </Link>
                        </>
                      )}
                      {s.under_review && !awaitsRerelease(s) && <p className="muted">{t('underReview')}</p>}
                      {awaitsRerelease(s) && (
                        <p className="muted">{t('awaitsRerelease', { audience: t(`audienceShort_${s.audience}`) })}</p>
                      )}
                    </td>
                    <td>
                      {markingOf.get(s.skill_id) !== undefined && <MarkingSummary marking={markingOf.get(s.skill_id)!} />}
                    </td>
                    <td>{when(s.ratified_at)}</td>
                    <td>{when(s.public_at)}</td>
                    <td>{when(s.notice_ends)}</td>
                    <td>
                      {s.scheduled_at != null && s.scheduled_audience != null ? (
                        <span className="publication-actions">
                          {t('scheduledText', { audience: t(`audienceShort_${s.scheduled_audience}`), when: when(s.scheduled_at) })}
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            aria-label={t('unscheduleOf', { skill: s.skill_number })}
                            onClick={() => {
                              setProblem(null);
                              setCalling(s);
                            }}
                          >
                            {t('unschedule')}
                          </button>
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {s.state !== 'draft' && (
                        <span className="publication-actions">
                          <span className="muted">
                            {s.ceremony_step >= 3
                              ? t('ceremonyDone')
                              : s.ceremony_step === 0
                                ? t('ceremonyNone')
                                : revealedMedals(s.ceremony_step)
                                    .map((m) => t(`medal_${m}`))
                                    .join(', ')}
                          </span>
                          {next !== null && (
                            <button
                              type="button"
                              className="button button-secondary button-small"
                              aria-label={t('ceremonyNextOf', { medal: t(`medal_${next.medal}`), skill: s.skill_number })}
                              onClick={() => {
                                setProblem(null);
                                setRevealing({ status: s, ...next });
                              }}
                            >
                              {t('ceremonyNext', { medal: t(`medal_${next.medal}`) })}
                            </button>
                          )}
                          <Link to={`/board/${event.id}/ceremony/${s.skill_id}`} target="_blank" rel="noopener">
                            {t('ceremonyBoard')}
                          </Link>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <ConfirmDialog
        open={revealing !== null}
        title={
          revealing === null ? '' : t('ceremonyTitle', { medal: t(`medal_${revealing.medal}`), skill: skillName(revealing.status) })
        }
        confirmLabel={revealing === null ? '' : t('ceremonyNext', { medal: t(`medal_${revealing.medal}`) })}
        busy={reveal.isPending}
        onConfirm={() => revealing !== null && reveal.mutate(revealing)}
        onCancel={() => setRevealing(null)}
      >
        <p>{t('ceremonyText')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={calling !== null}
        title={calling === null ? '' : t('unscheduleTitle', { skill: skillName(calling) })}
        confirmLabel={t('unschedule')}
        busy={unschedule.isPending}
        onConfirm={() => calling !== null && unschedule.mutate(calling)}
        onCancel={() => setCalling(null)}
      >
        <p>{t('unscheduleText')}</p>
      </ConfirmDialog>
    </>
  );
}

function ReleaseForm({
  event,
  statuses,
  selected,
  onReleased,
}: {
  event: Event;
  statuses: SkillStatus[];
  selected: ReadonlySet<string>;
  onReleased: () => void;
}) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [which, setWhich] = useState<'selected' | 'all'>('selected');
  const [audience, setAudience] = useState<ReleaseAudience>('public');
  const [timing, setTiming] = useState<'now' | 'at'>('now');
  const [at, setAt] = useState('');
  const [timeError, setTimeError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // What the last release did, translated when shown (the language may change meanwhile).
  const [notice, setNotice] = useState<{ kind: 'released' | 'scheduled'; count: number } | { kind: 'nothingToRelease' } | null>(null);
  const effectiveWhich = which === 'selected' && selected.size === 0 ? 'all' : which;
  const plan = releasePlan(statuses, effectiveWhich === 'all' ? 'all' : selected, audience);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const release = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/events/{id}/results/publish', {
          params: { path: { id: event.id } },
          body: {
            skills: plan.targets.map((s) => s.skill_id),
            audience,
            ...(timing === 'at' ? { at: fromLocalInput(at, event.time_zone) } : {}),
          },
        }),
      ),
    onSuccess: (released) => {
      setConfirming(false);
      setNotice({ kind: timing === 'at' ? 'scheduled' : 'released', count: released.length });
      onReleased();
      void queryClient.invalidateQueries({ queryKey: publicationKeys.statuses(event.id) });
      void queryClient.invalidateQueries({ queryKey: publicationKeys.mail(event.id) });
    },
    onError: (error) => {
      setConfirming(false);
      setProblem(problemOf(error));
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setNotice(null);
    if (timing === 'at') {
      const wrong = scheduleProblem(at);
      if (wrong !== null) {
        setTimeError(t(`schedule_${wrong}`));
        return;
      }
    }
    setTimeError(undefined);
    if (plan.targets.length === 0) {
      setNotice({ kind: 'nothingToRelease' });
      return;
    }
    setConfirming(true);
  };

  const skillList = plan.targets.map((s) => s.skill_number).join(', ');
  // A public release shows the medals on the public page at once: before the ceremony has revealed them, say so.
  const beforeCeremony = plan.targets
    .filter((s) => s.ceremony_step < 3)
    .map((s) => s.skill_number)
    .join(', ');
  const skipped = plan.skipped.map((x) => t(`skipped_${x.why}`, { skill: x.status.skill_number })).join(', ');

  return (
    <section className="card" aria-labelledby="release-heading">
      <h2 id="release-heading">{t('releaseHeading')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <fieldset className="choice-group">
            <legend className="field-label">{t('releaseWhich')}</legend>
            <label className="choice">
              <input
                type="radio"
                name="which"
                value="selected"
                checked={effectiveWhich === 'selected'}
                disabled={selected.size === 0}
                onChange={() => setWhich('selected')}
              />
              {t('releaseSelected', { count: selected.size })}
            </label>
            <label className="choice">
              <input type="radio" name="which" value="all" checked={effectiveWhich === 'all'} onChange={() => setWhich('all')} />
              {t('releaseAll')}
            </label>
          </fieldset>
          <fieldset className="choice-group">
            <legend className="field-label">{t('releaseAudience')}</legend>
            {RELEASE_AUDIENCES.map((a) => (
              <label className="choice" key={a}>
                <input type="radio" name="audience" value={a} checked={audience === a} onChange={() => setAudience(a)} />
                {t(`audience_${a}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="choice-group">
            <legend className="field-label">{t('releaseWhen')}</legend>
            <label className="choice">
              <input type="radio" name="timing" value="now" checked={timing === 'now'} onChange={() => setTiming('now')} />
              {t('releaseNow')}
            </label>
            <label className="choice">
              <input type="radio" name="timing" value="at" checked={timing === 'at'} onChange={() => setTiming('at')} />
              {t('releaseAt')}
            </label>
          </fieldset>
        </div>
        {timing === 'at' && (
          <div className={timeError === undefined ? 'field' : 'field field-invalid'}>
            <label className="field-label" htmlFor="release-at">
              {t('releaseTime')}
            </label>
            <p className="field-hint" id="release-at-hint">
              {t('releaseTimeHint', { zone })}
            </p>
            <input
              id="release-at"
              type="datetime-local"
              className="field-input"
              value={at}
              aria-invalid={timeError !== undefined ? true : undefined}
              aria-describedby={timeError === undefined ? 'release-at-hint' : 'release-at-hint release-at-error'}
              onChange={(e) => {
                setAt(e.target.value);
                setTimeError(undefined);
              }}
            />
            {timeError !== undefined && (
              <p className="field-error" id="release-at-error">
                {timeError}
              </p>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button">
            {t('releaseButton')}
          </button>
        </div>
      </form>
      <PublicationProblem problem={problem} />
      <p role="status" className={notice === null ? 'visually-hidden' : 'notice'}>
        {notice === null ? '' : notice.kind === 'nothingToRelease' ? t('nothingToRelease') : t(notice.kind, { count: notice.count })}
      </p>
      <ConfirmDialog
        open={confirming}
        title={t(timing === 'at' ? 'releaseTitle_at' : 'releaseTitle_now', { count: plan.targets.length })}
        confirmLabel={timing === 'at' ? t('scheduleConfirm') : t('releaseConfirm')}
        busy={release.isPending}
        onConfirm={() => release.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('releaseSummary', { audience: t(`audience_${audience}`), skills: skillList })}</p>
        {timing === 'at' && at !== '' && <p>{t('releaseSummaryAt', { when: formatDateTime(fromLocalInput(at, event.time_zone), locale, event.time_zone) })}</p>}
        {skipped !== '' && <p className="muted">{t('releaseSkipped', { skills: skipped })}</p>}
        {audience !== 'experts' && <p>{t('releaseMails')}</p>}
        {audience === 'public' && beforeCeremony !== '' && (
          <p className="notice notice-warning" data-testid="ceremony-warning">
            {t('releaseBeforeCeremony', { skills: beforeCeremony })}
          </p>
        )}
        <p>{t('releaseIrreversible')}</p>
      </ConfirmDialog>
    </section>
  );
}

function MailSection({ eventId }: { eventId: string }) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const report = useQuery({
    queryKey: publicationKeys.mail(eventId),
    queryFn: () => unwrap(client.GET('/api/v1/events/{id}/notifications', { params: { path: { id: eventId } } })),
    refetchInterval: 60_000,
  });
  return (
    <section className="card" aria-labelledby="mail-heading">
      <h2 id="mail-heading">{t('mailHeading')}</h2>
      <QueryView query={report}>
        {(r) => (
          <>
            <p>
              {t('mailCounts', {
                sent: formatNumber(r.sent, locale),
                pending: formatNumber(r.pending, locale),
                failed: formatNumber(r.failed, locale),
              })}
            </p>
            {r.failures.length === 0 ? (
              <p className="muted">{t('mailAllGood')}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption>{t('mailFailures')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('recipient')}</th>
                      <th scope="col">{t('subject')}</th>
                      <th scope="col" className="num">
                        {t('attempts')}
                      </th>
                      <th scope="col">{t('lastError')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.failures.map((f, i) => (
                      <tr key={`${f.recipient}:${f.subject}:${i}`}>
                        <td>{f.recipient}</td>
                        <td>{f.subject}</td>
                        <td className="num">{formatNumber(f.attempts, locale)}</td>
                        <td className="publication-reason">{f.last_error ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
