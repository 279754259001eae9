import { useTranslation } from 'react-i18next';

import { phaseOf, type ResultLine, type SkillStatus } from './model';

/** Where a skill's results stand, as a badge ("Ratified", "Public", …). */
export function PhaseBadge({ status }: { status: Pick<SkillStatus, 'state' | 'audience'> }) {
  const { t } = useTranslation('publication');
  const phase = phaseOf(status);
  return (
    <span className={`badge phase-${phase}`} data-phase={phase}>
      {t(`phase_${phase}`)}
    </span>
  );
}

/** The award of a result line in words ("Gold", "Medallion for Excellence"), or a dash. */
export function AwardText({ award }: { award: ResultLine['award'] }) {
  const { t } = useTranslation('publication');
  return <>{award == null ? t('noAward') : t(`award_${award}`)}</>;
}
