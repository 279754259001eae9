/**
 * The chief expert on the workshop floor: the skill's progress per entry, locking with one tap,
 * and unlocking with a reason (audited by the server). Loaded only when opened: the judges'
 * tablets never need it.
 */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { cellState, filterEntries, sortByWorkstation, summarise, type ProgressFilter } from '@/lib/progress';
import { problemOf, unwrap, useApi } from '@/lib/api/client';

import { useSkillEntries } from './data';
import { FloorDialog } from './FloorDialog';
import { floorMessages, floorText, type FloorKey } from './floorMessages';
import { entryLabel } from './model';
import { useMarkingSession } from './session';

type F = (key: FloorKey, values?: Record<string, string | number>) => string;

/** The floor's strings in the interface language (see floorMessages.ts). */
function useFloorText(): F {
  const { locale } = useLocale();
  return (key, values) => floorText(floorMessages[locale][key], values);
}

interface Unlocking {
  entryId: string;
  sub: string;
  label: string;
}

/** The judges' scores of one sub-criterion of an entry, opened to withdraw one. */
type Reviewing = Unlocking;

/** What the chief expert reads when an unlock is refused. */
function unlockProblem(error: unknown, f: F): string {
  const problem = problemOf(error);
  if (problem.code === 'results_ratified') return f('unlockRatified');
  if (problem.code === 'not_found') return f('unlockGone');
  if (problem.status === 0) return f('unlockOffline');
  return problem.detail || problem.title;
}

export function ChiefFloor() {
  const { t } = useTranslation('marking');
  const f = useFloorText();
  const { locale } = useLocale();
  const { skillId = '' } = useParams();
  const client = useApi();
  const queryClient = useQueryClient();
  const session = useMarkingSession();
  const context = session.skills.find((s) => s.skill.id === skillId);
  const entries = useSkillEntries(session.me.id, context?.event.id ?? '', skillId);
  const [message, setMessage] = useState('');
  const [unlocking, setUnlocking] = useState<Unlocking | null>(null);
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);
  const [filter, setFilter] = useState<ProgressFilter>('all');
  const progressKey = ['marking', 'progress', skillId];
  const progress = useQuery({
    queryKey: progressKey,
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/progress', { params: { path: { id: skillId } } })),
  });
  const lock = useMutation({
    mutationFn: ({ entryId, sub }: { entryId: string; sub: string; label: string }) =>
      unwrap(client.POST('/api/v1/entries/{id}/locks', { params: { path: { id: entryId } }, body: { sub_criterion: sub } })),
    onSuccess: (_data, { sub, label }) => {
      setMessage(f('lockDone', { sub, entry: label }));
      void queryClient.invalidateQueries({ queryKey: progressKey });
    },
    onError: (error) => setMessage(problemOf(error).detail),
  });

  if (context === undefined) return <p className="mark-notice">{t('noSkills')}</p>;
  const skillName = `${context.skill.number} ${locale === 'en' ? context.skill.name_en : context.skill.name_zh}`;
  const summary = summarise(progress.data ?? []);
  const filters: [ProgressFilter, string][] = [
    ['all', f('filterAll')],
    ['attention', f('filterAttention')],
    ['ready', f('filterReady')],
  ];
  return (
    <section>
      <Link className="mark-back" to={`/mark/${skillId}`}>
        ← {t('back')}
      </Link>
      <h1>{f('floorTitle', { skill: skillName })}</h1>
      {message !== '' && (
        <p className="mark-notice" role="status">
          {message}
        </p>
      )}
      {progress.isPending && <p role="status">{t('loading')}</p>}
      {progress.error !== null && <p className="mark-notice">{problemOf(progress.error).detail}</p>}
      {progress.data !== undefined && (
        <>
          <p className="mark-summary" data-testid="floor-summary">
            {f('floorSummary', {
              locked: summary.locked,
              cells: summary.cells,
              ready: summary.ready,
              spread: summary.outOfSpread,
              incomplete: summary.incomplete,
            })}
          </p>
          <div className="mark-days" role="group" aria-label={f('floorFilter')}>
            {filters.map(([value, label]) => (
              <button key={value} type="button" className="mark-chip" aria-pressed={filter === value} onClick={() => setFilter(value)}>
                {label}
              </button>
            ))}
          </div>
        </>
      )}
      <ul className="mark-entries">
        {sortByWorkstation(filterEntries(progress.data ?? [], filter)).map((row) => {
          const entry = entries.data?.find((e) => e.id === row.entry_id);
          const label = entry === undefined ? row.entry_id.slice(0, 8) : entryLabel(entry, t) || row.entry_id.slice(0, 8);
          return (
            <li key={row.entry_id} className="mark-floor-row" data-entry={row.entry_id}>
              <span className="mark-entry-label">{label}</span>
              <div className="mark-floor-subs">
                {row.sub_criteria.map((sub) => {
                  const state = cellState(sub);
                  const cell = { entryId: row.entry_id, sub: sub.sub_criterion, label };
                  /** A cell that opens a dialog about it (the unlock form, the scores). */
                  const opens = (className: string, what: string, action: string, open: (cell: Unlocking) => void) => (
                    <CellAction
                      key={sub.sub_criterion}
                      className={className}
                      what={what}
                      action={action}
                      onClick={() => {
                        setMessage('');
                        open(cell);
                      }}
                    />
                  );
                  if (state === 'locked') {
                    return opens('mark-floor-locked', f('lockedSub', { sub: sub.sub_criterion }), f('unlockShort'), setUnlocking);
                  }
                  if (state === 'ready') {
                    return (
                      <button
                        key={sub.sub_criterion}
                        type="button"
                        className="mark-button mark-button-primary"
                        disabled={lock.isPending}
                        onClick={() => lock.mutate(cell)}
                      >
                        {f('lock', { sub: sub.sub_criterion })}
                      </button>
                    );
                  }
                  if (state === 'out_of_spread') {
                    return opens('mark-badge is-conflict', f('subSpread', { sub: sub.sub_criterion }), f('scoresShort'), setReviewing);
                  }
                  return (
                    <span key={sub.sub_criterion} className="mark-badge is-draft">
                      {f('subMissing', { sub: sub.sub_criterion, n: sub.missing.length })}
                    </span>
                  );
                })}
              </div>
            </li>
          );
        })}
      </ul>
      {reviewing !== null && (
        <ScoresDialog
          key={`${reviewing.entryId}/${reviewing.sub}`}
          reviewing={reviewing}
          eventId={context.event.id}
          skillId={skillId}
          onClose={() => setReviewing(null)}
          onDone={(judge, aspect) => {
            setMessage(f('withdrawDone', { judge, aspect, entry: reviewing.label }));
            setReviewing(null);
            void queryClient.invalidateQueries({ queryKey: progressKey });
          }}
        />
      )}
      {unlocking !== null && (
        <UnlockDialog
          key={`${unlocking.entryId}/${unlocking.sub}`}
          unlocking={unlocking}
          onClose={() => setUnlocking(null)}
          onDone={() => {
            setMessage(f('unlockDone', { sub: unlocking.sub, entry: unlocking.label }));
            setUnlocking(null);
            void queryClient.invalidateQueries({ queryKey: progressKey });
          }}
          onGone={() => void queryClient.invalidateQueries({ queryKey: progressKey })}
        />
      )}
    </section>
  );
}

/** A sub-criterion's state on the floor with what tapping it does, e.g. "A1 locked · Unlock…". */
function CellAction({ className, what, action, onClick }: { className: string; what: string; action: string; onClick: () => void }) {
  return (
    <button type="button" className={`mark-button ${className}`} onClick={onClick}>
      <span>{what}</span>
      <span className="mark-floor-sep"> · </span>
      <span className="mark-floor-unlock">{action}</span>
    </button>
  );
}

interface UnlockDialogProps {
  unlocking: Unlocking;
  onClose: () => void;
  onDone: () => void;
  /** The lock is no longer there (someone unlocked it meanwhile): the list is read again. */
  onGone: () => void;
}

/**
 * Confirms an unlock: the reason is required (the server keeps it in the audit log); a refusal is
 * shown here, with the reason kept so the chief expert can try again.
 */
function UnlockDialog({ unlocking, onClose, onDone, onGone }: UnlockDialogProps) {
  const f = useFloorText();
  const client = useApi();
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const unlock = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/entries/{id}/locks/{sub}/unlock', {
          params: { path: { id: unlocking.entryId, sub: unlocking.sub } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: onDone,
    onError: (e) => {
      setError(unlockProblem(e, f));
      if (problemOf(e).code === 'not_found') onGone();
    },
  });

  const empty = reason.trim() === '';
  return (
    <FloorDialog
      title={f('unlockTitle', { sub: unlocking.sub, entry: unlocking.label })}
      intro={f('unlockIntro')}
      error={error}
      ready={!empty && !unlock.isPending}
      cancelLabel={f('cancel')}
      submitLabel={unlock.isPending ? f('working') : f('unlock', { sub: unlocking.sub })}
      onSubmit={() => unlock.mutate()}
      onClose={onClose}
    >
      <label className="mark-note">
        <span>{f('unlockReason')}</span>
        <textarea required maxLength={500} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </label>
    </FloorDialog>
  );
}

interface ScoresDialogProps {
  reviewing: Reviewing;
  eventId: string;
  skillId: string;
  onClose: () => void;
  onDone: (judge: string, aspect: string) => void;
}

/** What the chief expert reads when a withdrawal is refused. */
function withdrawProblem(error: unknown, sub: string, f: F): string {
  const problem = problemOf(error);
  if (problem.code === 'sub_criterion_locked') return f('withdrawLocked', { sub });
  if (problem.code === 'results_ratified') return f('withdrawRatified');
  if (problem.code === 'not_found') return f('withdrawGone');
  if (problem.status === 0) return f('unlockOffline');
  return problem.detail || problem.title;
}

/**
 * The judges' scores of a sub-criterion of one entry, by judge (names from the skill's experts),
 * and withdrawing one with a reason (`POST /entries/{id}/marks/withdraw`, audited by the server).
 */
function ScoresDialog({ reviewing, eventId, skillId, onClose, onDone }: ScoresDialogProps) {
  const f = useFloorText();
  const client = useApi();
  const [chosen, setChosen] = useState<{ aspect: string; judgeId: string; judge: string } | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const marks = useQuery({
    queryKey: ['marking', 'floor-marks', reviewing.entryId],
    queryFn: () => unwrap(client.GET('/api/v1/entries/{id}/marks', { params: { path: { id: reviewing.entryId } } })),
  });
  const experts = useQuery({
    queryKey: ['marking', 'floor-experts', skillId],
    queryFn: () => unwrap(client.GET('/api/v1/events/{id}/experts', { params: { path: { id: eventId }, query: { skill_id: skillId } } })),
  });
  const withdraw = useMutation({
    mutationFn: (c: { aspect: string; judgeId: string; judge: string }) =>
      unwrap(
        client.POST('/api/v1/entries/{id}/marks/withdraw', {
          params: { path: { id: reviewing.entryId } },
          body: { aspect: c.aspect, judge_id: c.judgeId, reason: reason.trim() },
        }),
      ),
    onSuccess: (_data, c) => onDone(c.judge, c.aspect),
    onError: (e) => {
      setError(withdrawProblem(e, reviewing.sub, f));
      if (problemOf(e).code === 'not_found') {
        setChosen(null);
        void marks.refetch();
      }
    },
  });

  const nameOf = (id: string) => experts.data?.find((x) => x.user_id === id)?.display_name ?? id.slice(0, 8);
  const scored = (marks.data ?? []).filter(
    (a) => a.aspect.startsWith(`${reviewing.sub}.`) && a.marks.some((m) => m.input === 'score' && m.judge_id),
  );
  const ready = chosen !== null && reason.trim() !== '' && !withdraw.isPending;
  return (
    <FloorDialog
      title={f('scoresTitle', { sub: reviewing.sub, entry: reviewing.label })}
      intro={f('scoresIntro')}
      error={error}
      ready={ready}
      cancelLabel={f('cancel')}
      submitLabel={withdraw.isPending ? f('working') : f('withdraw')}
      onSubmit={() => {
        if (chosen !== null) withdraw.mutate(chosen);
      }}
      onClose={onClose}
    >
      {marks.isPending && <p role="status">{f('working')}</p>}
      {marks.data !== undefined && scored.length === 0 && <p>{f('scoresNone', { sub: reviewing.sub })}</p>}
      {scored.map((a) => (
        <fieldset key={a.aspect} className="mark-scores">
          <legend>{a.aspect}</legend>
          {a.marks
            .filter((m) => m.input === 'score' && m.judge_id)
            .map((m) => {
              const judgeId = m.judge_id ?? '';
              const judge = nameOf(judgeId);
              return (
                <label key={judgeId} className="mark-score-choice">
                  <input
                    type="radio"
                    name="withdraw-score"
                    checked={chosen?.aspect === a.aspect && chosen.judgeId === judgeId}
                    onChange={() => setChosen({ aspect: a.aspect, judgeId, judge })}
                  />
                  <span>{f('scoreChoice', { judge, score: m.value })}</span>
                </label>
              );
            })}
        </fieldset>
      ))}
      <label className="mark-note">
        <span>{f('withdrawReason')}</span>
        <textarea required maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
    </FloorDialog>
  );
}
