import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { QueryView } from '@/components/QueryView';
import { unwrap } from '@/lib/api/client';
import { queryKeys, useApi } from '@/lib/api/queries';
import { formatNumber } from '@/lib/format';

import { SkillHeading } from './SkillHeading';
import { judgeRows, LEAN_THRESHOLD, signedDeviation, sortJudges, type JudgeStats, type SortKey } from './analytics';

/** How each judge scores judgement aspects compared with the others, to discuss before locking. */
export function AnalyticsPage() {
  const { skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const client = useApi();
  const stats = useQuery({
    queryKey: queryKeys.skill(skillId, 'analytics'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/analytics', { params: { path: { id: skillId } } })),
  });
  return (
    <>
      <SkillHeading title={t('analyticsTitle')} />
      <section className="card" aria-labelledby="analytics-about">
        <h2 id="analytics-about">{t('analyticsAboutTitle')}</h2>
        <p>{t('analyticsAbout')}</p>
        <p className="muted">{t('analyticsLean', { threshold: LEAN_THRESHOLD.toFixed(2) })}</p>
      </section>
      <QueryView query={stats}>{(list) => <JudgeTable stats={list} />}</QueryView>
    </>
  );
}

function JudgeTable({ stats }: { stats: JudgeStats[] }) {
  const { t } = useTranslation('chief');
  const { locale } = useLocale();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'deviation', descending: true });
  const rows = useMemo(
    () => sortJudges(judgeRows(stats), sort.key, sort.descending, locale),
    [stats, sort, locale],
  );
  if (stats.length === 0) return <p className="muted">{t('analyticsEmpty')}</p>;
  // The bar's scale: the largest deviation, at least one score point.
  const scale = Math.max(1, ...stats.map((s) => Math.abs(s.mean_deviation)));

  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="sort-button"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== 'name' })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="table-wrap">
      <table className="analytics-table">
        <caption className="visually-hidden">{t('analyticsTitle')}</caption>
        <thead>
          <tr>
            {header('name', t('judge'))}
            {header('scores', t('scoresCounted'), true)}
            {header('deviation', t('meanDeviation'), true)}
            <th scope="col">{t('lean')}</th>
            {header('out_of_spread', t('outOfSpread'), true)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const width = `${Math.round((Math.abs(r.mean_deviation) / scale) * 50)}%`;
            return (
              <tr key={r.judge_id}>
                <th scope="row">{r.name}</th>
                <td className="num">{formatNumber(r.scores, locale)}</td>
                <td className="num">
                  <span className="deviation">
                    <span className="deviation-track" aria-hidden="true">
                      <span
                        className={`deviation-bar deviation-${r.lean}`}
                        style={r.mean_deviation >= 0 ? { left: '50%', width } : { right: '50%', width }}
                      />
                    </span>
                    {signedDeviation(r.mean_deviation)}
                  </span>
                </td>
                <td>
                  <span className={`badge lean-${r.lean}`}>{t(`lean_${r.lean}`)}</span>
                </td>
                <td className="num">{formatNumber(r.out_of_spread, locale)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
