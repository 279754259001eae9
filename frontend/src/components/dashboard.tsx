/** A skill's line on the dashboards (`useDashboard`): marking progress and results phase, in the organiser screens' words. */

import { useTranslation } from 'react-i18next';

import { PhaseBadge } from '@/components/PhaseBadge';
import type { MarkingProgress, SkillDashboard } from '@/lib/api/queries';
import { formatNumber } from '@/lib/format';
import { useLocale } from '@/lib/locale';

/** Whole percent of the aspects marked (rounded down: 100 % only when all are). */
export function markedPercent(m: MarkingProgress): number {
  return m.aspects === 0 ? 0 : Math.floor((m.aspects_marked * 100) / m.aspects);
}

/** "62 % marked · 3/10 entries locked · 2 ready to lock · 1 aspect out of spread". */
export function MarkingSummary({ marking }: { marking: MarkingProgress }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const n = (v: number) => formatNumber(v, locale);
  if (!marking.scheme_frozen) return <span className="muted">{t('dashSchemeNotFrozen')}</span>;
  if (marking.entries === 0) return <span className="muted">{t('dashNoEntries')}</span>;
  return (
    <span className="dash-marking">
      <span>{t('dashMarked', { percent: n(markedPercent(marking)) })}</span>
      {' · '}
      <span>{t('dashLocked', { locked: n(marking.entries_locked), entries: n(marking.entries) })}</span>
      {marking.entries_lockable > 0 && (
        <>
          {' · '}
          <span>{t('dashLockable', { count: marking.entries_lockable, n: n(marking.entries_lockable) })}</span>
        </>
      )}
      {marking.aspects_out_of_spread > 0 && (
        <>
          {' · '}
          <span className="badge badge-warning">
            {t('dashOutOfSpread', { count: marking.aspects_out_of_spread, n: n(marking.aspects_out_of_spread) })}
          </span>
        </>
      )}
    </span>
  );
}

/** The results' phase ("Ratified", "Released to delegations"…) and open disputes. */
export function ResultsSummary({ status }: { status: SkillDashboard['results'] }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  return (
    <span className="dash-results">
      <PhaseBadge status={status} />
      {status.open_disputes > 0 && (
        <>
          {' '}
          <span className="badge badge-warning">
            {t('dashDisputes', { count: status.open_disputes, n: formatNumber(status.open_disputes, locale) })}
          </span>
        </>
      )}
    </span>
  );
}
