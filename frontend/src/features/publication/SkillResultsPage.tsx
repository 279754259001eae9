import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { PhaseBadge } from '@/components/PhaseBadge';
import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi, useEvent, useSkills } from '@/lib/api/queries';
import { formatDateTime, formatMarks, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { PublicationProblem } from './PublicationProblem';
import { publicationKeys, useStatuses } from './api';
import { draftSummary, entryLabel, hundredthsOf, refusedEntries, refusedLabels, type Schemas } from './model';
import { AwardText } from './parts';
import './publication.css';

type LiveResults = Schemas['LiveResults'];

/**
 * The chief expert's results of the skill (`/events/:eventId/skills/:skillId/results`): the
 * live draft from locked marks (raw, scale score, rank, award, what is still unlocked), and
 * ratification once every mark is locked. Organisers may open it too.
 */
export function SkillResultsPage() {
  const { eventId = '', skillId = '' } = useParams();
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const skill = useSkills(eventId).data?.find((s) => s.id === skillId);
  const draft = useQuery({
    queryKey: publicationKeys.draft(skillId),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/results', { params: { path: { id: skillId } } })),
    refetchInterval: 30_000,
  });
  const name = skill === undefined ? '' : ` · ${skill.number} ${locale === 'en' ? skill.name_en : skill.name_zh}`;
  return (
    <>
      <PageTitle>{`${t('skillResultsTitle')}${name}`}</PageTitle>
      <QueryView query={draft}>{(live) => <SkillResults eventId={eventId} live={live} />}</QueryView>
    </>
  );
}

function SkillResults({ eventId, live }: { eventId: string; live: LiveResults }) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const statuses = useStatuses(eventId);
  const zone = useEvent(eventId).data?.time_zone;
  const status = statuses.data?.find((s) => s.skill_id === live.skill_id);
  const summary = draftSummary(live.entries);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const skillName = `${live.skill_number} ${locale === 'en' ? live.skill_name_en : live.skill_name_zh}`;

  const ratify = useMutation({
    mutationFn: () => unwrap(client.POST('/api/v1/skills/{id}/results/ratify', { params: { path: { id: live.skill_id } } })),
    onSuccess: () => {
      setConfirming(false);
      setDone(true);
      // Frozen at once on screen (no second ratify button while the draft is read again).
      queryClient.setQueryData<LiveResults>(publicationKeys.draft(live.skill_id), (old) => (old === undefined ? old : { ...old, state: 'ratified' }));
      void queryClient.invalidateQueries({ queryKey: publicationKeys.draft(live.skill_id) });
      void queryClient.invalidateQueries({ queryKey: publicationKeys.statuses(eventId) });
    },
    onError: (error) => {
      setConfirming(false);
      setProblem(problemOf(error));
    },
  });
  const refused = problem?.code === 'not_all_locked' ? refusedLabels(refusedEntries(problem.current), live.entries) : [];
  const marks = (raw: string) => {
    const h = hundredthsOf(raw);
    return h === null ? raw : formatMarks(h, locale);
  };

  return (
    <>
      <section className="card" aria-labelledby="results-state">
        <h2 id="results-state">
          <PhaseBadge status={status ?? { state: live.state, audience: 'none' }} />
        </h2>
        {live.state === 'draft' ? (
          <p>{t('draftIntro')}</p>
        ) : (
          <p>{t('frozenIntro', { when: status?.ratified_at == null ? '—' : formatDateTime(status.ratified_at, locale, zone) })}</p>
        )}
        {live.entries.length === 0 ? (
          <p className="muted">{t('noEntries')}</p>
        ) : (
          <p>
            {t('draftSummary', { complete: formatNumber(summary.complete, locale), entries: formatNumber(summary.entries, locale) })}
            {summary.incomplete.length > 0 && <> {t('stillUnlocked', { entries: summary.incomplete.join(', ') })}</>}
          </p>
        )}
        {live.state === 'draft' && (
          <div className="publication-actions">
            {/* Ratifying needs every mark locked: the button says why it waits instead of letting the server refuse. */}
            <button
              type="button"
              className="button"
              disabled={!summary.ready}
              aria-describedby={summary.ready ? undefined : 'ratify-blocked'}
              onClick={() => {
                setProblem(null);
                setDone(false);
                setConfirming(true);
              }}
            >
              {t('ratify')}
            </button>
            {!summary.ready && (
              <p id="ratify-blocked" className="muted">
                {live.entries.length === 0 ? t('ratifyNoEntries') : t('ratifyBlocked')}
              </p>
            )}
            {!summary.ready && <Link to={`/events/${eventId}/skills/${live.skill_id}/progress`}>{t('toProgress')}</Link>}
          </div>
        )}
        {done && (
          <p className="notice notice-success" role="status">
            {t('ratified')}
          </p>
        )}
      </section>
      <PublicationProblem problem={problem} />
      {refused.length > 0 && <p className="notice notice-error">{t('refusedEntries', { entries: refused.join(', ') })}</p>}
      {live.entries.length > 0 && (
        <div className="table-wrap">
          <table data-testid="skill-results">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('rank')}
                </th>
                <th scope="col">{t('entry')}</th>
                <th scope="col">{t('competitors')}</th>
                <th scope="col" className="num">
                  {t('raw')}
                </th>
                <th scope="col" className="num">
                  {t('score')}
                </th>
                <th scope="col">{t('award')}</th>
                <th scope="col">{t('criteria')}</th>
                <th scope="col">{t('locked')}</th>
              </tr>
            </thead>
            <tbody>
              {live.entries.map((line) => (
                <tr key={line.entry_id}>
                  <td className="num">{formatNumber(line.rank, locale)}</td>
                  <th scope="row">
                    {entryLabel(line)}
                    {line.delegation_code !== '' && (
                      <span className="muted"> {locale === 'en' ? line.delegation_name_en : line.delegation_name_zh}</span>
                    )}
                  </th>
                  <td>{line.competitors.join(locale === 'en' ? ', ' : '、') || '—'}</td>
                  <td className="num">{marks(line.raw)}</td>
                  <td className="num">{formatNumber(line.score, locale)}</td>
                  <td>
                    <AwardText award={line.award} />
                    {line.squad && <span className="muted"> · {t('squad')}</span>}
                  </td>
                  <td className="publication-criteria">
                    {line.criteria.map((c) => (
                      <span key={c.id}>
                        {c.id} {marks(c.mark)}
                      </span>
                    ))}
                  </td>
                  <td className={line.complete ? 'cell-ok' : 'cell-bad'}>{line.complete ? t('lockedYes') : t('lockedNo')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('ratifyTitle', { skill: skillName })}
        confirmLabel={t('ratify')}
        busy={ratify.isPending}
        onConfirm={() => ratify.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('ratifyText')}</p>
      </ConfirmDialog>
    </>
  );
}
