import { useTranslation } from 'react-i18next';

import type { Schemas } from '@/lib/api/queries';
import { phaseOf } from '@/lib/phase';

/** Where a skill's results stand, as a badge ("Ratified", "Public", …; the publication screens' words). */
export function PhaseBadge({ status }: { status: Pick<Schemas['SkillStatus'], 'state' | 'audience'> }) {
  const { t } = useTranslation('publication');
  const phase = phaseOf(status);
  return (
    <span className={`badge phase-${phase}`} data-phase={phase}>
      {t(`phase_${phase}`)}
    </span>
  );
}
