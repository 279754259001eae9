/**
 * Marking one entry: every aspect of the expert's groups as a card with big touch targets. Nothing
 * is pre-filled (an unmarked aspect reads "Not marked", never 0); values are drafts until the
 * expert reviews them read-only and confirms; then they are queued and sent.
 */

import { useQueryClient } from '@tanstack/react-query';
import { memo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { problemOf } from '@/lib/api/client';
import { formatMarks } from '@/lib/format';
import type { Locale } from '@/lib/i18n';

import { marksKey, useEntryMarks } from './data';
import {
  baseVersionFor,
  blindOf,
  byWorkstation,
  controlOf,
  dayParam,
  daySearch,
  deductionMark,
  effectiveOf,
  entryLabel,
  inputKindOf,
  markOf,
  maxDeductions,
  needsWork,
  newClientId,
  rovingTarget,
  tabStopOf,
  tally,
  type AspectMarks,
  type AspectView,
  type Effective,
  type InputKind,
  type LocalMark,
} from './model';
import { useSkillSetup } from './session';

type T = ReturnType<typeof useTranslation<'marking'>>['t'];

/** A value as the expert reads it: a score, marks, or deductions with the mark they leave. */
export function describeValue(view: AspectView, input: InputKind, value: number, t: T, locale: Locale): string {
  if (input === 'score') return t('score', { n: value });
  if (input === 'deductions') {
    return `${t('deductions', { count: value })} → ${formatMarks(markOf(view.aspect, input, value), locale)}`;
  }
  return t('amount', { amount: formatMarks(value, locale) });
}

export function MarkEntry() {
  const { t } = useTranslation('marking');
  const { locale } = useLocale();
  const { skillId = '', entryId = '' } = useParams();
  const { session, userId, context, scheme, entries, aspects } = useSkillSetup(skillId);
  // Opened from the list showing one marking day: that day's aspects (the review shows all).
  const [params] = useSearchParams();
  const day = dayParam(params.get('day'));
  const shown = day == null ? aspects : aspects.filter((a) => a.aspect.day === day);
  const entry = entries.data?.find((e) => e.id === entryId);
  const recused = entry?.recused === true;
  const server = useEntryMarks(userId, entryId, !recused, context?.skill.max_spread);
  const queryClient = useQueryClient();
  const [reviewing, setReviewing] = useState(false);
  const [notice, setNotice] = useState('');
  const local = session.marks.filter((m) => m.entryId === entryId);
  // Taps on cards that did not re-render read the newest state from here.
  const latest = useRef<{ local: LocalMark[]; byKey: Map<string, AspectMarks> }>({ local: [], byKey: new Map() });

  const back = (
    <Link className="mark-back" to={`/mark/${skillId}${daySearch(day)}`}>
      ← {t('back')}
    </Link>
  );
  const refusal = server.error === null ? null : problemOf(server.error);
  if (recused || refusal?.code === 'recusal') {
    return (
      <section className="mark-refusal" role="alert">
        {back}
        <h1>{t('recusalTitle')}</h1>
        <p>{t('recusalText')}</p>
      </section>
    );
  }
  if (refusal !== null) {
    return (
      <section className="mark-refusal" role="alert">
        {back}
        <p>{refusal.detail || refusal.title}</p>
      </section>
    );
  }
  if (scheme.isPending || entries.isPending || server.isPending) return <p role="status">{t('loading')}</p>;
  if (context === undefined || entry === undefined) {
    return (
      <section>
        {back}
        <p className="mark-notice">{t('noCopy')}</p>
      </section>
    );
  }

  const byKey = new Map((server.data ?? []).map((a) => [a.aspect, a]));
  const drafts = local.filter((m) => m.state === 'draft');
  latest.current = { local, byKey };
  const label = entryLabel(entry, t);

  /** A new value (or note, or unsure flag) for an aspect: kept as a draft on the tablet at once. */
  const edit = async (view: AspectView, change: Partial<Pick<LocalMark, 'value' | 'note' | 'unsure'>>) => {
    setNotice('');
    const { local, byKey } = latest.current;
    const input = inputKindOf(view.aspect);
    const s = byKey.get(view.key);
    const eff = effectiveOf(local, s, view.key, input, userId);
    const value = change.value ?? eff.value;
    if (value === null) return;
    const updates: LocalMark[] = [];
    if (eff.state === 'draft' && eff.local !== undefined) {
      updates.push({ ...eff.local, ...change, value, enteredAt: new Date().toISOString() });
    } else {
      if ((eff.state === 'conflict' || eff.state === 'rejected') && eff.local !== undefined) {
        updates.push({ ...eff.local, state: 'resolved' });
      }
      updates.push({
        clientId: newClientId(),
        userId,
        skillId,
        entryId,
        aspect: view.key,
        input,
        value,
        note: change.note ?? eff.note,
        unsure: change.unsure ?? eff.unsure,
        baseVersion: baseVersionFor(local, s, view.key, input, userId),
        enteredAt: new Date().toISOString(),
        createdAt: Date.now(),
        state: 'draft',
      });
    }
    await session.save(updates);
  };

  /**
   * The next entry on the floor (after this one, wrapping round) that still needs this expert on
   * the day shown, from what the tablet already has: no request of its own.
   */
  const nextEntry = () => {
    const list = byWorkstation(entries.data ?? []).filter((e) => !e.recused);
    const at = list.findIndex((e) => e.id === entryId);
    const after = [...list.slice(at + 1), ...list.slice(0, Math.max(at, 0))];
    return after.find((e) => {
      const theirs = queryClient.getQueryData<AspectMarks[]>(marksKey(e.id));
      const mine = session.marks.filter((m) => m.entryId === e.id);
      return needsWork(tally(shown, mine, theirs, userId, context.skill.max_spread));
    });
  };
  const next = notice === '' ? undefined : nextEntry();

  const confirm = async () => {
    const others = local.filter((m) => m.state !== 'draft');
    const queued = drafts.map((d) => ({
      ...d,
      state: 'pending' as const,
      baseVersion: baseVersionFor(others, byKey.get(d.aspect), d.aspect, d.input, userId),
    }));
    await session.save(queued);
    setReviewing(false);
    setNotice(t('confirmed', { count: queued.length }));
    session.sync();
  };

  const keepMine = async (mark: LocalMark) => {
    await session.save([
      { ...mark, state: 'resolved' },
      {
        ...mark,
        clientId: newClientId(),
        state: 'pending',
        baseVersion: mark.current?.version ?? null,
        createdAt: Date.now(),
        enteredAt: new Date().toISOString(),
      },
    ]);
    session.sync();
  };
  const drop = async (mark: LocalMark) => {
    await session.save([{ ...mark, state: 'resolved' }]);
    void queryClient.invalidateQueries({ queryKey: marksKey(entryId) });
  };

  if (reviewing) {
    return (
      <Review
        aspects={aspects}
        local={local}
        byKey={byKey}
        userId={userId}
        title={label}
        onBack={() => setReviewing(false)}
        onConfirm={() => void confirm()}
      />
    );
  }

  let sub = '';
  return (
    <section className="mark-entry-screen">
      {back}
      <h1>{label}</h1>
      {entry.competitors.length > 0 && <p className="mark-entry-names">{entry.competitors.map((c) => c.name).join(', ')}</p>}
      {notice !== '' && (
        <p className="mark-notice is-ok" role="status">
          {notice}
          {next !== undefined && (
            <>
              {' '}
              <Link className="mark-next" to={`/mark/${skillId}/entries/${next.id}${daySearch(day)}`}>
                {t('nextEntry', { entry: entryLabel(next, t) || next.id.slice(0, 8) })}
              </Link>
            </>
          )}
        </p>
      )}
      {aspects.length === 0 && <p className="mark-notice">{t('nothingToMark')}</p>}
      {day != null && aspects.length > 0 && (
        <p className="mark-day-filter" data-testid="day-filter">
          {t('dayOnly', { n: day, shown: shown.length, total: aspects.length })}{' '}
          <Link to={`/mark/${skillId}/entries/${entryId}?day=all`} replace>
            {t('showAllDays')}
          </Link>
        </p>
      )}
      {shown.map((view) => {
        const heading = view.subCriterion !== sub;
        sub = view.subCriterion;
        const s = byKey.get(view.key);
        const input = inputKindOf(view.aspect);
        const eff = effectiveOf(local, s, view.key, input, userId);
        return (
          <div key={view.key}>
            {heading && <h2 className="mark-sub">{view.subCriterion}</h2>}
            <AspectCard
              view={view}
              server={s}
              eff={eff}
              userId={userId}
              maxSpread={context.skill.max_spread}
              locale={locale}
              onEdit={(change) => void edit(view, change)}
              onKeepMine={(m) => void keepMine(m)}
              onDrop={(m) => void drop(m)}
            />
          </div>
        );
      })}
      {aspects.length > 0 && (
        <div className="mark-actionbar">
          <button type="button" className="mark-button mark-button-primary" disabled={drafts.length === 0} onClick={() => setReviewing(true)}>
            {t('review', { count: drafts.length })}
          </button>
        </div>
      )}
    </section>
  );
}

const SCORES = [0, 1, 2, 3];

/**
 * Arrow keys, Home and End move the focus within a group of score buttons (one Tab stop per
 * group); Space or Enter on a button selects it, as a tap does.
 */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
  const radios = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="radio"]')];
  const next = rovingTarget(event.key, radios.indexOf(document.activeElement as HTMLButtonElement), radios.length);
  if (next === null) return;
  event.preventDefault();
  radios[next]?.focus();
}

interface AspectCardProps {
  view: AspectView;
  server: AspectMarks | undefined;
  eff: Effective;
  userId: string;
  maxSpread: number;
  locale: Locale;
  onEdit: (change: Partial<Pick<LocalMark, 'value' | 'note' | 'unsure'>>) => void;
  onKeepMine: (mark: LocalMark) => void;
  onDrop: (mark: LocalMark) => void;
}

/** A card re-renders only when what it shows changes (a tap re-renders one card, not all of them). */
const AspectCard = memo(AspectCardView, (a, b) => {
  const same = (x: Effective, y: Effective) =>
    x.value === y.value &&
    x.state === y.state &&
    x.note === y.note &&
    x.unsure === y.unsure &&
    x.local?.clientId === y.local?.clientId &&
    x.local?.reason === y.local?.reason &&
    x.local?.current?.version === y.local?.current?.version;
  return (
    a.view.key === b.view.key &&
    a.server === b.server &&
    same(a.eff, b.eff) &&
    a.userId === b.userId &&
    a.maxSpread === b.maxSpread &&
    a.locale === b.locale
  );
});

function AspectCardView({ view, server, eff, userId, maxSpread, locale, onEdit, onKeepMine, onDrop }: AspectCardProps) {
  const { t } = useTranslation('marking');
  const [noteOpen, setNoteOpen] = useState(eff.note !== '');
  const control = controlOf(view.aspect);
  const input = inputKindOf(view.aspect);
  const locked = server?.locked === true;
  const blind = blindOf(server, view.aspect, userId, maxSpread);
  const titleId = `aspect-${view.key}`;
  const disabled = locked;
  const state = eff.state;

  return (
    <article className={`mark-card state-${state} ${locked ? 'is-locked' : ''}`} aria-labelledby={titleId} data-aspect={view.key}>
      <header className="mark-card-head">
        <h3 id={titleId}>
          <span className="mark-key">{view.key}</span> {view.aspect.description}
        </h3>
        <span className="mark-max">{t('maxMark', { max: formatMarks(view.aspect.max, locale) })}</span>
        {!locked && (
          <span className={`mark-state state-${state}`} data-testid="mark-state">
            {t(`state_${state}`)}
          </span>
        )}
      </header>
      {(view.aspect.extra_description ?? '') !== '' && <p className="mark-extra">{view.aspect.extra_description}</p>}
      {locked && (
        // What stands is the server's value, not a change of this tablet that the lock refused.
        <p className="mark-locked">
          {t('locked')}
          {eff.server !== undefined && <> · {describeValue(view, input, eff.server.value, t, locale)}</>}
        </p>
      )}

      {control.kind === 'judgement' && !locked && (
        <div className="mark-scores" role="radiogroup" aria-label={t('judgementHint')} onKeyDown={moveFocus}>
          {SCORES.map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={eff.value === n}
              tabIndex={tabStopOf(SCORES, eff.value) === n ? 0 : -1}
              disabled={disabled}
              className="mark-score"
              onClick={() => onEdit({ value: n })}
            >
              <span className="mark-score-n">{n}</span>
              <span className="mark-score-text">{control.descriptors[n] ?? ''}</span>
            </button>
          ))}
        </div>
      )}
      {control.kind === 'choices' && !locked && (
        <div className="mark-choices" role="radiogroup" aria-label={view.key} onKeyDown={moveFocus}>
          {control.options.map((amount, i) => (
            <button
              key={amount}
              type="button"
              role="radio"
              aria-checked={eff.value === amount}
              tabIndex={tabStopOf(control.options, eff.value) === i ? 0 : -1}
              disabled={disabled}
              className="mark-choice"
              onClick={() => onEdit({ value: amount })}
            >
              {view.aspect.type === 'measurement' && view.aspect.measurement.kind === 'pass_fail'
                ? `${amount === 0 ? t('fail') : t('pass')} · ${formatMarks(amount, locale)}`
                : formatMarks(amount, locale)}
            </button>
          ))}
        </div>
      )}
      {control.kind === 'deduction' && !locked && (
        <div className="mark-deduction">
          <button
            type="button"
            className="mark-choice"
            aria-pressed={eff.value === 0}
            disabled={disabled}
            onClick={() => onEdit({ value: 0 })}
          >
            {t('noDeductions')}
          </button>
          <button
            type="button"
            className="mark-step"
            aria-label={t('removeDeduction')}
            disabled={disabled || eff.value === null || eff.value <= 0}
            onClick={() => onEdit({ value: Math.max(0, (eff.value ?? 0) - 1) })}
          >
            −
          </button>
          <output className="mark-count" aria-live="polite">
            {eff.value === null
              ? t('notMarked')
              : `${t('deductions', { count: eff.value })} · ${t('markWorth', {
                  mark: formatMarks(deductionMark(control.step, control.max, eff.value), locale),
                })}`}
          </output>
          <button
            type="button"
            className="mark-step"
            aria-label={t('addDeduction')}
            disabled={disabled || (eff.value ?? 0) >= maxDeductions(control.step, control.max)}
            onClick={() => onEdit({ value: (eff.value ?? 0) + 1 })}
          >
            +
          </button>
        </div>
      )}

      {eff.value === null && !locked && <p className="mark-unmarked">{t('notMarked')}</p>}

      {eff.value !== null && !locked && (
        <div className="mark-extras">
          <button type="button" className="mark-chip mark-toggle" aria-pressed={eff.unsure} onClick={() => onEdit({ unsure: !eff.unsure })}>
            {eff.unsure ? '☑' : '☐'} {t('unsure')}
          </button>
          {noteOpen ? (
            <label className="mark-note">
              <span>{t('note')}</span>
              <textarea defaultValue={eff.note} maxLength={1000} rows={2} onBlur={(e) => e.target.value !== eff.note && onEdit({ note: e.target.value })} />
            </label>
          ) : (
            <button type="button" className="mark-button mark-button-quiet" onClick={() => setNoteOpen(true)}>
              + {t('note')}
            </button>
          )}
        </div>
      )}

      {blind.kind === 'score_first' && !locked && <p className="mark-blind">{t('scoreFirst')}</p>}
      {blind.kind === 'waiting' && !locked && <p className="mark-blind">{t('waitingJudges', { scored: blind.scored, needed: blind.needed })}</p>}
      {blind.kind === 'all_scored' && (
        <p className={`mark-blind ${blind.outOfSpread ? 'is-warning' : ''}`} role={blind.outOfSpread ? 'alert' : undefined}>
          {t('allScored', { scores: blind.scores.join(' · '), spread: blind.spread })}
          {blind.outOfSpread && (
            <>
              <br />⚠ {t('outOfSpread', { max: maxSpread })}
            </>
          )}
        </p>
      )}

      {state === 'conflict' && eff.local !== undefined && (
        <div className="mark-conflict" role="alert">
          <p>
            {t('conflictText', {
              theirs: eff.local.current === undefined ? '—' : describeValue(view, eff.local.current.input as InputKind, eff.local.current.value, t, locale),
              version: eff.local.current?.version ?? '?',
              mine: describeValue(view, input, eff.local.value, t, locale),
            })}
          </p>
          <div className="mark-conflict-actions">
            <button type="button" className="mark-button mark-button-primary" onClick={() => eff.local && onKeepMine(eff.local)}>
              {t('keepMine', { mine: describeValue(view, input, eff.local.value, t, locale) })}
            </button>
            <button type="button" className="mark-button" onClick={() => eff.local && onDrop(eff.local)}>
              {t('takeTheirs', {
                theirs: eff.local.current === undefined ? '—' : describeValue(view, eff.local.current.input as InputKind, eff.local.current.value, t, locale),
              })}
            </button>
          </div>
        </div>
      )}
      {state === 'rejected' && eff.local !== undefined && (
        <div className="mark-rejected" role="alert">
          <p>{t('refusedBecause', { reason: eff.local.reason ?? '' })}</p>
          <button type="button" className="mark-button" onClick={() => eff.local && onDrop(eff.local)}>
            {t('discard')}
          </button>
        </div>
      )}
    </article>
  );
}

interface ReviewProps {
  aspects: AspectView[];
  local: LocalMark[];
  byKey: Map<string, AspectMarks>;
  userId: string;
  title: string;
  onBack: () => void;
  onConfirm: () => void;
}

function Review({ aspects, local, byKey, userId, title, onBack, onConfirm }: ReviewProps) {
  const { t } = useTranslation('marking');
  const { locale } = useLocale();
  const rows = aspects
    .map((view) => ({ view, eff: effectiveOf(local, byKey.get(view.key), view.key, inputKindOf(view.aspect), userId) }))
    .filter((r) => r.eff.value !== null);
  const fresh = rows.filter((r) => r.eff.state === 'draft');
  const done = rows.filter((r) => r.eff.state !== 'draft');
  const list = (items: typeof rows) => (
    <table className="mark-review-table">
      <tbody>
        {items.map(({ view, eff }) => (
          <tr key={view.key} data-aspect={view.key}>
            <th scope="row">{view.key}</th>
            <td>{view.aspect.description}</td>
            <td className="mark-review-value">
              {describeValue(view, inputKindOf(view.aspect), eff.value ?? 0, t, locale)}
              {eff.unsure && <span className="mark-badge is-draft"> {t('unsureMark')}</span>}
              {eff.note !== '' && <div className="mark-review-note">{eff.note}</div>}
            </td>
            <td>{t(`state_${eff.state}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section className="mark-review" aria-labelledby="review-title">
      <h1 id="review-title">
        {t('reviewTitle')} · {title}
      </h1>
      <p>{t('reviewIntro')}</p>
      <h2>{t('reviewNew')}</h2>
      {list(fresh)}
      {done.length > 0 && (
        <>
          <h2>{t('reviewDone')}</h2>
          {list(done)}
        </>
      )}
      <div className="mark-actionbar">
        <button type="button" className="mark-button" onClick={onBack}>
          {t('backToMarking')}
        </button>
        <button type="button" className="mark-button mark-button-primary" onClick={onConfirm} disabled={fresh.length === 0}>
          {t('confirm')}
        </button>
      </div>
    </section>
  );
}
