/**
 * The venue screen (`/board/:eventId`): full screen, large type, one skill at a time (cycling every
 * `?every=` seconds, default 12), updated the moment results are published through the public
 * event stream (server-sent events), without a reload. `/board/:eventId/ceremony/:skillId` shows
 * the medals revealed so far at the closing ceremony.
 */

import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useParams, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { formatNumber } from '@/lib/format';
import { messages, otherLocale } from '@/lib/i18n';

import { AwardBadge } from './PublicResults';
import { bySkillNumber, delegationName, nextSkill, parseResultsChanged, skillName, type ResultsChanged } from './model';
import { useCeremony, usePublicResults, usePublicSkill } from './usePublic';
import './results.css';

export function LiveBoard() {
  return (
    <Routes>
      <Route index element={<Board />} />
      <Route path="ceremony/:skillId" element={<Ceremony />} />
    </Routes>
  );
}

/** Subscribes to the event's results stream; `onChange` gets each `results` event. */
function useResultsStream(eventId: string, onChange: (change: ResultsChanged) => void, onReconnect?: () => void): boolean {
  const [live, setLive] = useState(false);
  const changed = useEffectEvent(onChange);
  const reconnected = useEffectEvent(() => onReconnect?.());
  useEffect(() => {
    const source = new EventSource(`/api/v1/public/events/${eventId}/stream`);
    let dropped = false;
    source.onopen = () => {
      setLive(true);
      // Whatever was published while the connection was down: read it again.
      if (dropped) reconnected();
    };
    source.onerror = () => {
      dropped = true;
      setLive(false);
    };
    source.addEventListener('results', (e) => {
      const change = parseResultsChanged((e as MessageEvent<string>).data);
      if (change !== null) changed(change);
    });
    // One connection per event; the handlers are the latest render's.
    return () => source.close();
  }, [eventId]);
  return live;
}

function BoardFrame({ title, live, children }: { title: string; live: boolean; children: React.ReactNode }) {
  const { t } = useTranslation('results');
  const { locale, setLocale } = useLocale();
  const next = otherLocale(locale);
  return (
    <div className="board">
      <header className="board-head">
        <span className="board-title">{title}</span>
        <span className={`board-live ${live ? 'is-live' : ''}`} data-testid="board-live">
          {live ? `● ${t('boardLive')}` : t('boardReconnecting')}
        </span>
        <button type="button" className="board-button" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
          {t('fullScreen')}
        </button>
        <button type="button" className="board-button" lang={next} aria-label={messages[next].switchToThisLanguage} onClick={() => setLocale(next)}>
          {messages[next].languageName}
        </button>
      </header>
      {children}
    </div>
  );
}

function Board() {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const { eventId = '' } = useParams();
  const [params] = useSearchParams();
  const every = Math.max(3, Number(params.get('every') ?? 12) || 12) * 1000;
  const results = usePublicResults(eventId);
  const [current, setCurrent] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [pinned, setPinned] = useState<string | null>(null);
  const skills = useMemo(() => bySkillNumber(results.data?.skills ?? []), [results.data]);

  const live = useResultsStream(eventId, (change) => {
    void results.reload().then(() => {
      if (change.kind === 'published' || change.kind === 'changed') {
        setPinned(change.skill_id);
        setCurrent(change.skill_id);
      }
    });
  }, () => void results.reload());

  // A freshly published skill is announced and shown first; then the board cycles on.
  useEffect(() => {
    if (pinned === null) return;
    const skill = skills.find((s) => s.skill_id === pinned);
    if (skill !== undefined) setBanner(skillName(skill, locale));
  }, [pinned, skills, locale]);

  useEffect(() => {
    if (current === null && skills.length > 0) setCurrent(skills[0]?.skill_id ?? null);
    const timer = window.setInterval(() => {
      setBanner(null);
      setPinned(null);
      setCurrent((c) => nextSkill(skills, c));
    }, every);
    return () => window.clearInterval(timer);
  }, [skills, every, current]);

  const skill = skills.find((s) => s.skill_id === current) ?? skills[0];
  return (
    <BoardFrame title={results.data?.event_name ?? t('liveBoard')} live={live}>
      {banner !== null && (
        <p className="board-banner" role="status">
          {t('boardNew', { skill: banner })}
        </p>
      )}
      {skill === undefined ? (
        <p className="board-waiting" data-testid="board-waiting">
          {t('boardWaiting')}
        </p>
      ) : (
        <section className="board-skill" aria-live="polite" data-skill={skill.skill_number}>
          <h1>{skillName(skill, locale)}</h1>
          <ol className="board-lines">
            {skill.entries.slice(0, 10).map((line, i) => (
              <li key={`${line.delegation_code}-${i}`} className={line.award == null ? '' : `is-${line.award}`}>
                <span className="board-rank">{line.rank}</span>
                <span className="board-name">
                  {line.competitors.join(' · ')}
                  <small>{delegationName(line, locale)}</small>
                </span>
                <span className="board-score">{formatNumber(line.score, locale)}</span>
                <span className="board-award">
                  <AwardBadge award={line.award} />
                </span>
              </li>
            ))}
          </ol>
          <p className="board-dots" aria-hidden="true">
            {skills.map((s) => (s.skill_id === skill.skill_id ? '●' : '○')).join(' ')}
          </p>
        </section>
      )}
    </BoardFrame>
  );
}

function Ceremony() {
  const { t } = useTranslation('results');
  const { locale } = useLocale();
  const { eventId = '', skillId = '' } = useParams();
  const view = useCeremony(eventId, skillId);
  const skill = usePublicSkill(eventId, skillId);
  const reload = () => {
    void view.reload();
    void skill.reload();
  };
  const live = useResultsStream(
    eventId,
    (change) => {
      if (change.skill_id === skillId) reload();
    },
    reload,
  );
  const name = view.data !== undefined ? skillName(view.data, locale) : skill.data !== undefined ? skillName(skill.data, locale) : '';
  // The ceremony reveals public results only: an unknown skill, or one not released to the
  // public, has nothing to reveal (the screen waits and updates when it is released).
  const notPublic = view.data === undefined && skill.problem !== null;
  return (
    <BoardFrame title={notPublic ? t('ceremony') : `${t('ceremony')} · ${name}`} live={live}>
      {notPublic ? (
        <p className="board-waiting" data-testid="ceremony-not-public">
          {t('ceremonyNotPublic')}
        </p>
      ) : view.data === undefined || view.data.medals.length === 0 ? (
        <p className="board-waiting">{t('ceremonyWaiting', { skill: name })}</p>
      ) : (
        <ol className="board-ceremony">
          {[...view.data.medals].reverse().map((m, i) => (
            <li key={`${m.award}-${m.delegation_code}-${i}`} className={`is-${m.award}`}>
              <AwardBadge award={m.award} />
              <span className="board-name">
                {m.competitors.join(' · ')}
                <small>{delegationName(m, locale)}</small>
              </span>
            </li>
          ))}
        </ol>
      )}
    </BoardFrame>
  );
}
