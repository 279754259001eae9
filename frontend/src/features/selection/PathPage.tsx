import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { problemOf } from '@/lib/api/client';
import { useLocale } from '@/lib/locale';
import { problemMessage } from '@/lib/problemText';

import { usePath } from './api';
import { pathOutcome } from './model';
import './selection.css';

/**
 * `/selection/entries/:entryId`: a competitor's path through the programme (each stage's score,
 * standing, rank and cut, and whether they advanced), for the competitor, their team leader and
 * the organisers.
 */
export function PathPage() {
  const { entryId = '' } = useParams();
  const { t } = useTranslation('selection');
  const { locale, t: common } = useLocale();
  const path = usePath(entryId);
  if (path.isPending) {
    return (
      <>
        <PageTitle>{t('pathTitle')}</PageTitle>
        <p role="status" className="muted">
          {common.loading}
        </p>
      </>
    );
  }
  if (path.isError) {
    const problem = problemOf(path.error);
    return (
      <>
        <PageTitle>{t('pathTitle')}</PageTitle>
        <p className="card" data-testid="path-none">
          {problem.status === 404 ? t('pathNone') : problemMessage(problem, common)}
        </p>
      </>
    );
  }
  const p = path.data;
  const who = p.competitors.join(locale === 'en' ? ', ' : '、');
  return (
    <>
      <PageTitle>{who === '' ? t('pathTitle') : `${t('pathTitle')} · ${who}`}</PageTitle>
      <p className="muted">{t('pathIntro', { programme: p.programme_name, skill: p.skill_number, delegation: p.delegation_code })}</p>
      {p.team_place != null && (
        <p className="notice notice-success" data-testid="path-team">
          {t('pathTeam', { place: t(`place_${p.team_place}`) })}
        </p>
      )}
      <div className="table-wrap">
        <table className="selection-cards" data-testid="selection-path">
          <thead>
            <tr>
              <th scope="col">{t('pathStage')}</th>
              <th scope="col" className="num">
                {t('score')}
              </th>
              <th scope="col" className="num">
                {t('pathStanding')}
              </th>
              <th scope="col" className="num">
                {t('pathRank')}
              </th>
              <th scope="col" className="num">
                {t('pathCut')}
              </th>
              <th scope="col">{t('pathResult')}</th>
            </tr>
          </thead>
          <tbody>
            {p.steps.map((step) => {
              const outcome = pathOutcome(step);
              return (
                <tr key={step.stage_id} className={`selection-path-${outcome}`}>
                  <th scope="row" data-label={t('pathStage')}>
                    {t('stageHeading', { position: step.position, name: step.event_name })}
                  </th>
                  <td className="num" data-label={t('score')}>
                    {step.score ?? '—'}
                  </td>
                  <td className="num" data-label={t('pathStanding')}>
                    {step.standing ?? '—'}
                  </td>
                  <td className="num" data-label={t('pathRank')}>
                    {step.rank ?? '—'}
                  </td>
                  <td className="num" data-label={t('pathCut')}>
                    {step.cut ?? '—'}
                  </td>
                  <td className="selection-path-outcome" data-label={t('pathResult')}>
                    <span className={`selection-mark selection-mark-${outcome === 'advanced' ? 'advances' : outcome === 'not_advanced' ? 'out' : 'pending'}`}>
                      {t(OUTCOME_TEXT[outcome])}
                    </span>
                    {step.moved_up && <span className="selection-mark selection-mark-moved_up">{t('movedUp')}</span>}
                    {step.withdrawn_reason != null && <span className="muted"> {t('withdrawnBecause', { reason: step.withdrawn_reason })}</span>}
                    {step.ineligible != null && <span className="muted"> {t('ineligible', { reason: step.ineligible })}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

const OUTCOME_TEXT = {
  advanced: 'pathAdvanced',
  not_advanced: 'pathNotAdvanced',
  pending: 'pathPending',
  not_entered: 'pathNotEntered',
} as const;
