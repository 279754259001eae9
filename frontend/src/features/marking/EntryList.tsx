import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';

import { useSkillMarks } from './data';
import { byWorkstation, dateIn, dayParam, daySearch, entryLabel, markingDayOf, needsWork, tally } from './model';
import { useSkillSetup } from './session';

export function EntryList() {
  const { t } = useTranslation('marking');
  const { locale } = useLocale();
  const { skillId = '' } = useParams();
  const { session, userId, context, scheme, groups, entries, aspects, inGroup } = useSkillSetup(skillId);
  // On a marking day (C1…C4 in the event's calendar) the list starts with what is left today.
  const today = context === undefined ? null : markingDayOf(context.event.days, dateIn(context.event.time_zone));
  // The day chosen is in the address (`?day=2`, `?day=all`), so an entry and the way back keep it.
  const [params, setParams] = useSearchParams();
  const asked = dayParam(params.get('day'));
  const day = asked === undefined ? today : asked;
  const setDay = (d: number | null) => setParams({ day: d === null ? 'all' : String(d) }, { replace: true });
  // "Only what is left": the entries that still need this expert (to mark, confirm, resolve, re-score).
  // Kept for the session, so that coming back from an entry keeps the list as it was.
  const onlyLeftKey = `skillmark.mark.onlyLeft.${skillId}`;
  const [onlyLeft, setOnlyLeftState] = useState(() => sessionStorage.getItem(onlyLeftKey) === '1');
  const setOnlyLeft = (on: boolean) => {
    setOnlyLeftState(on);
    if (on) sessionStorage.setItem(onlyLeftKey, '1');
    else sessionStorage.removeItem(onlyLeftKey);
  };
  const list = byWorkstation(entries.data ?? []);
  // The server says which entries the expert may not mark (their own delegation's, 回避), also
  // in anonymous skills where the delegation is not shown.
  const markable = list.filter((e) => !e.recused);
  const marks = useSkillMarks(userId, skillId);
  const marksOf = new Map(markable.map((e) => [e.id, marks.data?.get(e.id)]));

  if (context === undefined) return <p className="mark-notice">{t('noSkills')}</p>;
  if (scheme.isPending || groups.isPending || entries.isPending) return <p role="status">{t('loading')}</p>;
  if (scheme.data === undefined || entries.data === undefined) return <p className="mark-notice">{t('noCopy')}</p>;

  const skillName = `${context.skill.number} ${locale === 'en' ? context.skill.name_en : context.skill.name_zh}`;
  const days = [...new Set(aspects.map((a) => a.aspect.day))].sort();
  const shown = day === null ? aspects : aspects.filter((a) => a.aspect.day === day);
  const maxSpread = context.skill.max_spread;
  const tallies = new Map(
    markable.map((e) => [e.id, tally(shown, session.marks.filter((m) => m.entryId === e.id), marksOf.get(e.id), userId, maxSpread)]),
  );
  let left = 0;
  let total = 0;
  let entriesLeft = 0;
  for (const x of tallies.values()) {
    total += x.total;
    left += x.left;
    if (needsWork(x)) entriesLeft += 1;
  }
  const needsMe = (entryId: string) => {
    const x = tallies.get(entryId);
    return x !== undefined && needsWork(x);
  };
  const listed = onlyLeft ? list.filter((e) => needsMe(e.id)) : list;
  // An entry opens on the day the list shows (today's unless another was chosen).
  const entrySearch = daySearch(day === null ? asked : day);
  const isChief = session.me.roles.some((r) => r.role === 'chief_expert' && r.scope_id === skillId);

  return (
    <section>
      <div className="mark-titlebar">
        <h1>{t('entriesTitle', { skill: skillName })}</h1>
        {isChief && (
          <Link className="mark-button mark-button-quiet" to={`/mark/${skillId}/floor`}>
            {t('floorLink')}
          </Link>
        )}
      </div>
      {aspects.length === 0 ? (
        <p className="mark-notice" data-testid="nothing-to-mark">
          {inGroup ? t('nothingToMark') : t('noGroup')}
        </p>
      ) : (
        <>
          <div className="mark-days" role="group" aria-label={t('day')}>
            <button type="button" className="mark-chip" aria-pressed={day === null} onClick={() => setDay(null)}>
              {t('allDays')}
            </button>
            {days.map((d) => (
              <button key={d} type="button" className="mark-chip" aria-pressed={day === d} onClick={() => setDay(d)}>
                {d === today ? t('dayToday', { n: d }) : t('dayN', { n: d })}
              </button>
            ))}
          </div>
          <div className="mark-titlebar">
            <p className="mark-summary" data-testid="left-to-mark">
              {t('leftToMark', { left, total })} · {t('entriesLeft', { count: entriesLeft })}
            </p>
            <button type="button" className="mark-chip" aria-pressed={onlyLeft} onClick={() => setOnlyLeft(!onlyLeft)}>
              {t('onlyLeft')}
            </button>
          </div>
          {onlyLeft && listed.length === 0 && (
            <p className="mark-notice is-ok" role="status">
              {t('nothingLeft')}
            </p>
          )}
        </>
      )}
      {/* Nothing to mark: the notice alone, not a card per entry with nothing on it. */}
      <ul className="mark-entries">
        {(aspects.length === 0 ? [] : listed).map((entry) => {
          const label = entryLabel(entry, t) || entry.id.slice(0, 8);
          const names = entry.competitors.map((c) => c.name).join(', ');
          if (entry.recused) {
            return (
              <li key={entry.id} className="mark-entry is-recused" aria-disabled="true">
                <span className="mark-entry-label">{label}</span>
                {names !== '' && <span className="mark-entry-names">{names}</span>}
                <span className="mark-entry-note">{t('ownDelegation')}</span>
              </li>
            );
          }
          const x = tallies.get(entry.id) ?? tally(shown, [], undefined, userId);
          const done = x.total > 0 && !needsWork(x);
          return (
            <li key={entry.id}>
              <Link className={`mark-entry ${done ? 'is-done' : ''}`} to={`/mark/${skillId}/entries/${entry.id}${entrySearch}`}>
                <span className="mark-entry-label">{label}</span>
                {names !== '' && <span className="mark-entry-names">{names}</span>}
                <span className="mark-entry-tally">
                  {t('entryMarked', { marked: x.marked, total: x.total })}
                  {x.left > 0 && <span className="mark-badge is-draft"> {t('aspectsLeft', { left: x.left })}</span>}
                  {x.pending > 0 && <span className="mark-badge is-pending"> {t('entryQueued', { n: x.pending })}</span>}
                  {x.drafts > 0 && <span className="mark-badge is-draft"> {t('entryDrafts', { n: x.drafts })}</span>}
                  {x.conflicts > 0 && <span className="mark-badge is-conflict"> {t('entryConflicts', { n: x.conflicts })}</span>}
                  {x.rejected > 0 && <span className="mark-badge is-rejected"> {t('entryRejected', { n: x.rejected })}</span>}
                  {x.outOfSpread > 0 && <span className="mark-badge is-conflict"> {t('entryOutOfSpread', { n: x.outOfSpread })}</span>}
                  {x.closed > 0 && <span className="mark-badge is-locked"> {t('entryClosed', { n: x.closed })}</span>}
                  {x.locked > 0 && <span className="mark-badge is-locked"> {t('entryLocked', { n: x.locked, total: x.total })}</span>}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
