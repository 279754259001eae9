import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { RecordTable, type Column } from '@/components/RecordList';
import { competitorNames } from '@/components/SelectionListTable';
import { useLocale } from '@/lib/locale';

import { usePath } from './api';
import { pathOutcome, type Schemas } from './model';

type PathStep = Schemas['PathStep'];
import './selection.css';

/**
 * `/selection/entries/:entryId`: a competitor's path through the programme (each stage's score,
 * standing, rank and cut, and whether they advanced), for the competitor, their team leader and
 * the organisers.
 */
export function PathPage() {
  const { entryId = '' } = useParams();
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const path = usePath(entryId);
  const who = path.data === undefined ? '' : competitorNames(path.data, locale);
  const columns: Column<PathStep>[] = [
    { header: t('pathStage'), rowHeader: true, cell: (step) => t('stageHeading', { position: step.position, name: step.event_name }) },
    { header: t('score'), num: true, cell: (step) => step.score ?? '—' },
    { header: t('pathStanding'), num: true, cell: (step) => step.standing ?? '—' },
    { header: t('pathRank'), num: true, cell: (step) => step.rank ?? '—' },
    { header: t('pathCut'), num: true, cell: (step) => step.cut ?? '—' },
    { header: t('pathResult'), className: 'selection-path-outcome', cell: (step) => <Outcome step={step} /> },
  ];
  return (
    <>
      <PageTitle>{who === '' ? t('pathTitle') : `${t('pathTitle')} · ${who}`}</PageTitle>
      <QueryView
        query={path}
        error={(problem) =>
          problem.status === 404 ? (
            <p className="card" data-testid="path-none">
              {t('pathNone')}
            </p>
          ) : undefined
        }
      >
        {(p) => (
          <>
            <p className="muted">{t('pathIntro', { programme: p.programme_name, skill: p.skill_number, delegation: p.delegation_code })}</p>
            {p.team_place != null && (
              <p className="notice notice-success" data-testid="path-team">
                {t('pathTeam', { place: t(`place_${p.team_place}`) })}
              </p>
            )}
            <RecordTable
              items={p.steps}
              columns={columns}
              rowKey={(step) => step.stage_id}
              empty={t('pathNone')}
              className="selection-cards"
              testId="selection-path"
              labelled
              rowClassName={(step) => `selection-path-${pathOutcome(step)}`}
            />
          </>
        )}
      </QueryView>
    </>
  );
}

function Outcome({ step }: { step: PathStep }) {
  const { t } = useTranslation('selection');
  const outcome = pathOutcome(step);
  return (
    <>
      <span className={`selection-mark selection-mark-${outcome === 'advanced' ? 'advances' : outcome === 'not_advanced' ? 'out' : 'pending'}`}>
        {t(OUTCOME_TEXT[outcome])}
      </span>
      {step.moved_up && <span className="selection-mark selection-mark-moved_up">{t('movedUp')}</span>}
      {step.withdrawn_reason != null && <span className="muted"> {t('withdrawnBecause', { reason: step.withdrawn_reason })}</span>}
      {step.ineligible != null && <span className="muted"> {t('ineligible', { reason: step.ineligible })}</span>}
    </>
  );
}

const OUTCOME_TEXT = {
  advanced: 'pathAdvanced',
  not_advanced: 'pathNotAdvanced',
  pending: 'pathPending',
  not_entered: 'pathNotEntered',
} as const;
