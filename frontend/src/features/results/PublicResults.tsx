/**
 * Public results (no sign-in): the events with published results, an event's results skill by
 * skill with a search by name or delegation, one skill, the medal and delegation tables and the
 * best of each delegation. Every view (and the search) is in the address, so it can be shared.
 */

import { memo, startTransition, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useParams, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { formatNumber } from '@/lib/format';

import {
  bySkillNumber,
  countLines,
  delegationName,
  searchResults,
  skillName,
  type PublicSkill,
} from './model';
import { usePublicEvents, usePublicProgrammes, usePublicResults, usePublicTables } from './usePublic';
import './results.css';

export function PublicResults() {
  return (
    <Routes>
      <Route index element={<EventList />} />
      <Route path=":eventId/*" element={<EventResults />} />
    </Routes>
  );
}

function EventList() {
  const { t } = useTranslation('results');
  const events = usePublicEvents();
  return (
    <section className="results-page">
      <h1>{t('publicTitle')}</h1>
      {events.loading && <p role="status">{t('loading')}</p>}
      {events.data?.length === 0 && <p className="card">{t('noPublicEvents')}</p>}
      <ul className="results-events">
        {events.data?.map((e) => (
          <li key={e.event_id}>
            <Link to={`/results/${e.event_id}`}>{e.name}</Link> <span className="muted">{e.venue}</span>
          </li>
        ))}
      </ul>
      <SelectionLinks />
    </section>
  );
}

/** The selection programmes' squad and team lists released to the public (公示). */
function SelectionLinks() {
  const { t } = useTranslation('results');
  const programmes = usePublicProgrammes();
  if (programmes.data === undefined || programmes.data.length === 0) return null;
  return (
    <section aria-labelledby="public-selection-heading" data-testid="public-selection">
      <h2 id="public-selection-heading">{t('selectionHeading')}</h2>
      <ul className="results-events">
        {programmes.data.map((p) => (
          <li key={p.programme_id}>
            <strong>{p.programme_name}</strong> <span className="muted">{t('selectionTarget', { competition: p.target_competition, year: p.target_year })}</span>
            <ul>
              {p.stages.map((s) => (
                <li key={s.stage_id}>
                  <Link to={`/results/selection/stages/${s.stage_id}`}>{t('selectionSquad', { position: s.position, name: s.event_name })}</Link>
                </li>
              ))}
              {p.team_audience === 'public' && (
                <li>
                  <Link to={`/results/selection/programmes/${p.programme_id}/team`}>{t('selectionTeam')}</Link>
                </li>
              )}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EventResults() {
  const { t } = useTranslation('results');
  const { eventId = '' } = useParams();
  const results = usePublicResults(eventId);
  const base = `/results/${eventId}`;

  if (results.loading) return <p role="status">{t('loading')}</p>;
  if (results.data === undefined) {
    return (
      <section className="results-page">
        <h1>{t('publicTitle')}</h1>
        <p className="card" data-testid="no-results">
          {results.problem?.status === 404 ? t('notFound') : t('loadFailed', { detail: results.problem?.detail ?? '' })}
        </p>
      </section>
    );
  }
  const skills = bySkillNumber(results.data.skills);
  return (
    <section className="results-page">
      <h1>{results.data.event_name}</h1>
      <p className="muted">
        {t('skillsPublished', { count: skills.length })} · <Link to={`/board/${eventId}`}>{t('liveBoard')}</Link>
      </p>
      <nav className="results-tabs" aria-label={t('publicTitle')}>
        <NavLink to={base} end>
          {t('tabSkills')}
        </NavLink>
        <NavLink to={`${base}/medals`}>{t('tabMedals')}</NavLink>
        <NavLink to={`${base}/delegations`}>{t('tabDelegations')}</NavLink>
        <NavLink to={`${base}/best`}>{t('tabBest')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<SkillsView skills={skills} eventId={eventId} />} />
        <Route path="skills/:number" element={<OneSkill skills={skills} eventId={eventId} />} />
        <Route path="medals" element={<TablesView eventId={eventId} kind="medals" />} />
        <Route path="delegations" element={<TablesView eventId={eventId} kind="delegations" />} />
        <Route path="best" element={<TablesView eventId={eventId} kind="best" />} />
      </Routes>
    </section>
  );
}

/**
 * How many of `total` sections to render: a first screenful at once, then two more per task, so
 * 60 skills never block the page in one long task (each section is laid out on its own, see
 * `.results-skill` in results.css).
 */
function useProgressive(total: number, first = 3, step = 2): number {
  const [n, setN] = useState(first);
  useEffect(() => {
    if (n >= total) return;
    const timer = window.setTimeout(() => startTransition(() => setN((x) => x + step)), 0);
    return () => window.clearTimeout(timer);
  }, [n, total, step]);
  return Math.min(n, total);
}

function SkillsView({ skills, eventId }: { skills: PublicSkill[]; eventId: string }) {
  const { t } = useTranslation('results');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const matching = useMemo(() => searchResults(skills, q), [skills, q]);
  const shown = matching.slice(0, useProgressive(matching.length));
  return (
    <>
      <div className="results-search">
        <label htmlFor="results-q">{t('search')}</label>
        <input
          id="results-q"
          type="search"
          value={q}
          onChange={(e) => setParams(e.target.value === '' ? {} : { q: e.target.value }, { replace: true })}
        />
        {q !== '' && (
          <span role="status" className="muted">
            {countLines(matching) === 0 ? t('noMatch', { q }) : t('searchResult', { count: countLines(matching) })}
          </span>
        )}
      </div>
      {shown.map((skill) => (
        <SkillTable key={skill.skill_id} skill={skill} eventId={eventId} />
      ))}
    </>
  );
}

function OneSkill({ skills, eventId }: { skills: PublicSkill[]; eventId: string }) {
  const { t } = useTranslation('results');
  const { number = '' } = useParams();
  const skill = skills.find((s) => s.skill_number.toLowerCase() === number.toLowerCase());
  if (skill === undefined) return <p className="card">{t('notFound')}</p>;
  return <SkillTable skill={skill} eventId={eventId} />;
}

/**
 * A table that may be wider than a phone: it scrolls sideways inside this box, never the page,
 * and says so while columns are hidden past the right edge. The box takes the focus so that it
 * can be scrolled with the keyboard too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation('results');
  const box = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const check = () => setMore(el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    el.addEventListener('scroll', check, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', check);
    };
  }, []);
  return (
    <>
      {more && (
        <p className="results-scroll-hint" data-testid="scroll-hint">
          {t('scrollForMore')}
        </p>
      )}
      <div ref={box} className={more ? 'results-scroll has-more' : 'results-scroll'} role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </>
  );
}

export function AwardBadge({ award }: { award: PublicSkill['entries'][number]['award'] }) {
  const { t } = useTranslation('results');
  if (award == null) return null;
  return <span className={`award award-${award}`}>{t(`award_${award}`)}</span>;
}

/** Memoised: each step of `useProgressive` renders only the sections it adds, not all again. */
const SkillTable = memo(function SkillTable({ skill, eventId }: { skill: PublicSkill; eventId: string }) {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const name = skillName(skill, locale);
  return (
    <section className="results-skill" aria-label={name} data-skill={skill.skill_number}>
      <h2>
        <Link to={`/results/${eventId}/skills/${encodeURIComponent(skill.skill_number)}`}>{name}</Link>{' '}
        <span className="muted results-state">{skill.final_result ? t('finalResult') : t('provisional')}</span>
      </h2>
      <table className="results-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('rank')}
            </th>
            <th scope="col">{skill.team ? t('team') : t('competitor')}</th>
            <th scope="col" className="results-delegation">
              {t('delegation')}
            </th>
            <th scope="col" className="num">
              {t('score')}
            </th>
            <th scope="col">{t('award')}</th>
          </tr>
        </thead>
        <tbody>
          {skill.entries.map((line, i) => (
            <tr key={`${line.delegation_code}-${i}`}>
              <td className="num">{line.rank}</td>
              <td>
                {line.competitors.join(', ')}
                {/* On a phone the delegation goes under the name instead of its own column. */}
                <span className="results-inline-delegation">{delegationName(line, locale)}</span>
              </td>
              <td className="results-delegation">{delegationName(line, locale)}</td>
              <td className="num">{formatNumber(line.score, locale)}</td>
              <td>
                <AwardBadge award={line.award} />
                {line.best_of_delegation && <span className="award award-best">{t('bestOfDelegation')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});

function TablesView({ eventId, kind }: { eventId: string; kind: 'medals' | 'delegations' | 'best' }) {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const tables = usePublicTables(eventId);
  if (tables.loading) return <p role="status">{t('loading')}</p>;
  if (tables.data === undefined) return <p className="card">{t('notFound')}</p>;
  if (kind === 'best') {
    return (
      <>
        {tables.data.albert_vidal.length > 0 && (
          <p className="card">
            <strong>{t('albertVidal')}:</strong>{' '}
            {tables.data.albert_vidal.map((b) => `${b.competitors.join(', ')} (${b.delegation_code}, ${b.skill_number}) ${b.score}`).join('; ')}
          </p>
        )}
        <TableScroll label={t('tabBest')}>
          <table className="results-table">
            <thead>
              <tr>
                <th scope="col">{t('delegation')}</th>
                <th scope="col">{t('competitor')}</th>
                <th scope="col">{t('skill')}</th>
                <th scope="col" className="num">
                  {t('score')}
                </th>
              </tr>
            </thead>
            <tbody>
              {tables.data.best_of_delegation.map((b) => (
                <tr key={`${b.delegation_code}-${b.skill_number}`}>
                  <td>{b.delegation_code}</td>
                  <td>{b.competitors.join(', ')}</td>
                  <td>{b.skill_number}</td>
                  <td className="num">{formatNumber(b.score, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </>
    );
  }
  const rows = kind === 'medals' ? tables.data.medal_table : tables.data.delegation_table;
  return (
    <TableScroll label={kind === 'medals' ? t('tabMedals') : t('tabDelegations')}>
      <table className="results-table results-medals">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('delegation')}</th>
            <th scope="col" className="num">
              {t('gold')}
            </th>
            <th scope="col" className="num">
              {t('silver')}
            </th>
            <th scope="col" className="num">
              {t('bronze')}
            </th>
            <th scope="col" className="num">
              {t('medallions')}
            </th>
            <th scope="col" className="num">
              {kind === 'medals' ? t('entries') : t('points')}
            </th>
            <th scope="col" className="num">
              {t('average')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => (
            <tr key={d.delegation_code}>
              <td className="num">{i + 1}</td>
              <td>{delegationName(d, locale)}</td>
              <td className="num">{d.gold}</td>
              <td className="num">{d.silver}</td>
              <td className="num">{d.bronze}</td>
              <td className="num">{d.medallions}</td>
              <td className="num">{kind === 'medals' ? d.entries : d.points}</td>
              <td className="num">{formatNumber(Math.round(d.average_score), locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
