/**
 * A competitor's own results (`/my-results`): score, rank, award and the breakdown by module
 * (criterion), sub-criterion and mark by mark once published; before that the skill and its modules
 * with "not yet published" (the server answers `results_not_published` and nothing else leaks).
 * Times are the event's, labelled with its zone.
 */

import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { useLocale } from '@/lib/locale';
import { AspectMarksTable } from '@/components/AspectMarksTable';
import { SelectionPathLink } from '@/components/SelectionPathLink';
import { settle, useApi } from '@/lib/api/client';
import { useAuth } from '@/lib/auth/context';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { skillName, type EntryOutline, type EntryResultView } from './model';
import { AwardBadge, TableScroll } from './PublicResults';
import './results.css';

type Loaded = { entryId: string; outline: EntryOutline | null; result: EntryResultView | null; problem: Problem | null };

export function MyResults() {
  const { t } = useTranslation('results');
  const { state, signOut } = useAuth();
  const client = useApi();
  const { t: common } = useLocale();
  const location = useLocation();
  const navigate = useNavigate();
  const [entries, setEntries] = useState<Loaded[] | null>(null);

  useEffect(() => {
    if (state.status !== 'signed_in') return;
    let active = true;
    void (async () => {
      const me = await settle(client.GET('/api/v1/me'));
      if (!me.ok) return;
      const ids = me.data.roles.filter((r) => r.role === 'competitor' && r.scope_id != null).map((r) => r.scope_id as string);
      // A team leader sees their delegation's entries.
      const delegations = me.data.roles.filter((r) => r.role === 'team_leader' && r.scope_id != null).map((r) => r.scope_id as string);
      if (delegations.length > 0) {
        const events = await settle(client.GET('/api/v1/events'));
        for (const event of events.ok ? events.data : []) {
          for (const delegation of delegations) {
            const page = await settle(
              client.GET('/api/v1/events/{id}/entries', {
                params: { path: { id: event.id }, query: { delegation_id: delegation, status: 'confirmed', per_page: 500 } },
              }),
            );
            if (page.ok) ids.push(...page.data.items.map((e) => e.id).filter((id) => !ids.includes(id)));
          }
        }
      }
      const loaded = await Promise.all(
        ids.map(async (entryId): Promise<Loaded> => {
          const [r, o] = await Promise.all([
            settle(client.GET('/api/v1/entries/{id}/result', { params: { path: { id: entryId } } })),
            settle(client.GET('/api/v1/entries/{id}/outline', { params: { path: { id: entryId } } })),
          ]);
          const outline = o.ok ? o.data : null;
          return r.ok ? { entryId, outline, result: r.data, problem: null } : { entryId, outline, result: null, problem: r.problem };
        }),
      );
      if (active) setEntries(loaded);
    })();
    return () => {
      active = false;
    };
  }, [state.status, client]);

  if (state.status === 'restoring') return <p role="status">{t('loading')}</p>;
  if (state.status === 'signed_out') return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return (
    <section className="results-page">
      <div className="results-mine-head">
        <h1>{t('myResultsTitle')}</h1>
        <button type="button" className="button button-secondary" onClick={() => void signOut().then(() => navigate('/'))}>
          {common.signOut}
        </button>
      </div>
      {entries === null && <p role="status">{t('loading')}</p>}
      {entries?.length === 0 && <p className="card">{t('noEntries')}</p>}
      {entries?.map((e) => (
        <Fragment key={e.entryId}>
          {e.result !== null ? <ResultCard view={e.result} outline={e.outline} /> : <NotPublished outline={e.outline} problem={e.problem} />}
          <p>
            <SelectionPathLink entryId={e.entryId} />
          </p>
        </Fragment>
      ))}
    </section>
  );
}

function NotPublished({ outline, problem }: { outline: EntryOutline | null; problem: Problem | null }) {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const waiting = problem?.code === 'results_not_published';
  return (
    <article className="card results-unpublished" data-testid="not-published">
      {outline !== null && <h2>{skillName(outline, locale)}</h2>}
      <h3 className="results-unpublished-state">{waiting ? t('notPublished') : problem?.detail}</h3>
      {waiting && <p>{t('notPublishedText')}</p>}
      {outline !== null && outline.modules.length > 0 && (
        <>
          <p>
            <strong>{t('modules')}</strong>
          </p>
          <ul className="results-modules">
            {outline.modules.map((m) => (
              <li key={m.id}>
                <strong>{m.id}</strong> {m.name}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function ResultCard({ view, outline }: { view: EntryResultView; outline: EntryOutline | null }) {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const r = view.result;
  const moduleName = (id: string) => outline?.modules.find((m) => m.id === id)?.name;
  return (
    <article className="card results-mine" data-testid="my-result">
      <h2>{skillName(view, locale)}</h2>
      <p className="muted">{r.competitors.join(', ')}</p>
      <dl className="results-facts">
        <div>
          <dt>{t('yourScore')}</dt>
          <dd className="results-big">{formatNumber(r.score, locale)}</dd>
        </div>
        <div>
          <dt>{t('yourRank')}</dt>
          <dd className="results-big">{r.rank}</dd>
        </div>
        <div>
          <dt>{t('yourAward')}</dt>
          <dd>{r.award == null ? t('noAward') : <AwardBadge award={r.award} />}</dd>
        </div>
        <div>
          <dt>{t('rawScore')}</dt>
          <dd>{r.raw}</dd>
        </div>
      </dl>
      {view.notice_ends != null && <p className="muted">{t('noticeEnds', { when: formatDateTime(view.notice_ends, locale, outline?.time_zone) })}</p>}
      {view.under_review && <p className="notice">{t('underReview')}</p>}
      <h3>{t('breakdown')}</h3>
      <table className="results-table results-breakdown">
        <thead>
          <tr>
            <th scope="col">{t('criterion')}</th>
            <th scope="col" className="num">
              {t('mark')}
            </th>
          </tr>
        </thead>
        <tbody>
          {r.criteria.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                {c.id} <span className="results-module-name">{moduleName(c.id)}</span>
              </th>
              <td className="num">{c.mark}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.sub_criteria.length > 0 && (
        <details>
          <summary>{t('bySub')}</summary>
          <table className="results-table">
            <tbody>
              {r.sub_criteria.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.id}</th>
                  <td className="num">{s.mark}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {view.aspects.length > 0 && (
        <details>
          <summary>{t('aspects')}</summary>
          <TableScroll label={t('aspects')}>
            <AspectMarksTable
              className="results-table results-aspects"
              aspects={view.aspects}
              columns={{ key: '#', description: t('aspectDescription'), mark: t('mark'), max: t('max'), judges: t('judgeScores') }}
              formatScore={(s) => formatNumber(s, locale)}
            />
          </TableScroll>
        </details>
      )}
    </article>
  );
}
