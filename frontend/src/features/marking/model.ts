/**
 * The judge's tablet: which aspects an expert marks, what the controls for an aspect are, and the
 * life of a mark entered on the tablet (local record → queue → server). No I/O here: the IndexedDB
 * store (`store.ts`) and the sync loop (`sync.ts`) use these rules.
 *
 * A mark entered on the tablet is a `LocalMark` with its own client id. It is a `draft` until the
 * expert confirms the entry's review; then `pending` (queued, sent as soon as the network allows);
 * the server's answer makes it `saved`, `conflict` (someone else saved another value first: both
 * are shown and the expert chooses) or `rejected` (with the server's reason). Changing a value that
 * is still pending makes a new record after it: the queue sends them in order, each naming the
 * version the previous one produced, so nothing is sent twice and nothing is overwritten unnoticed.
 */

import type { Schemas } from '@/lib/api/queries';

export type Scheme = Schemas['Scheme'];
export type Aspect = Schemas['Aspect'];
export type ServerMark = Schemas['Mark'];
export type AspectMarks = Schemas['AspectMarks'];
export type MarkInput = Schemas['MarkInput'];
type Entry = Schemas['Entry'];
export type MarkResult = Schemas['MarkResult'];
export type Group = Schemas['Group'];

export type InputKind = 'score' | 'amount' | 'deductions';

export type LocalState = 'draft' | 'pending' | 'saved' | 'conflict' | 'rejected' | 'resolved';

export interface LocalMark {
  clientId: string;
  userId: string;
  skillId: string;
  entryId: string;
  /** `A1.2`. */
  aspect: string;
  input: InputKind;
  value: number;
  note: string;
  unsure: boolean;
  /** The server version this value replaces; null for a first entry or while an earlier edit is queued. */
  baseVersion: number | null;
  /** When the expert entered it (ISO), sent as `entered_at`. */
  enteredAt: string;
  /** Order of entry on this tablet (ms). */
  createdAt: number;
  state: LocalState;
  /** Rejected: the server's reason; conflict: its summary. */
  reason?: string;
  /** Conflict: the mark on the server. */
  current?: ServerMark;
  /** Saved: the version the server gave it. */
  savedVersion?: number;
}

/** One aspect as the tablet shows it. */
export interface AspectView {
  key: string;
  subCriterion: string;
  criterion: string;
  aspect: Aspect;
}

/** The aspects of the sub-criteria the expert's marking groups mark, in the scheme's order. */
export function aspectsToMark(scheme: Scheme, subCriteria: ReadonlySet<string>): AspectView[] {
  const out: AspectView[] = [];
  for (const c of scheme.criteria) {
    for (const s of c.sub_criteria) {
      if (!subCriteria.has(s.id)) continue;
      s.aspects.forEach((aspect, i) => out.push({ key: `${s.id}.${i + 1}`, subCriterion: s.id, criterion: c.id, aspect }));
    }
  }
  return out;
}

/** The sub-criteria of every group the user is a member of. */
export function subCriteriaOf(groups: readonly Group[], userId: string): Set<string> {
  return new Set(groups.filter((g) => g.members.includes(userId)).flatMap((g) => g.sub_criteria));
}

export type Control =
  | { kind: 'judgement'; descriptors: string[] }
  | { kind: 'choices'; options: number[] }
  | { kind: 'deduction'; step: number; max: number };

/** How an aspect is entered: 0–3 with the descriptors, a choice of allowed amounts, or a deduction counter. */
export function controlOf(aspect: Aspect): Control {
  if (aspect.type === 'judgement') return { kind: 'judgement', descriptors: aspect.descriptors };
  const m = aspect.measurement;
  if (m.kind === 'pass_fail') return { kind: 'choices', options: [0, aspect.max] };
  if (m.kind === 'stepped') return { kind: 'choices', options: [...m.allowed].sort((a, b) => a - b) };
  return { kind: 'deduction', step: m.step, max: aspect.max };
}

export function inputKindOf(aspect: Aspect): InputKind {
  if (aspect.type === 'judgement') return 'score';
  return aspect.measurement.kind === 'deduction' ? 'deductions' : 'amount';
}

/** Most deductions that still change the mark (the mark floors at 0). */
export function maxDeductions(step: number, max: number): number {
  return step <= 0 ? 0 : Math.ceil(max / step);
}

/** The mark in hundredths a deduction count gives. */
export function deductionMark(step: number, max: number, n: number): number {
  return Math.max(0, max - n * step);
}

/** The mark (hundredths, possibly fractional for judgement) a value gives for one aspect. */
export function markOf(aspect: Aspect, input: InputKind, value: number): number {
  if (input === 'score') return (value / 3) * aspect.max;
  if (input === 'deductions' && aspect.type === 'measurement' && aspect.measurement.kind === 'deduction') {
    return deductionMark(aspect.measurement.step, aspect.max, value);
  }
  return value;
}

/**
 * The server refuses an `entered_at` more than 12 hours from its clock (to catch tablets with a
 * wrong clock); a mark queued offline for longer is sent without it rather than refused.
 */
const ENTERED_AT_LIMIT_MS = 11 * 3600 * 1000;

/** The API body of a queued mark. */
export function toInput(mark: LocalMark, now: number = Date.now()): MarkInput {
  const age = now - Date.parse(mark.enteredAt);
  const body: MarkInput = {
    client_id: mark.clientId,
    aspect: mark.aspect,
    ...(Math.abs(age) < ENTERED_AT_LIMIT_MS ? { entered_at: mark.enteredAt } : {}),
    unsure: mark.unsure,
    note: mark.note.trim() === '' ? null : mark.note.trim(),
  };
  if (mark.baseVersion !== null) body.version = mark.baseVersion;
  if (mark.input === 'score') body.score = mark.value;
  else if (mark.input === 'amount') body.amount = mark.value;
  else body.deductions = mark.value;
  return body;
}

/** The slot on the server an expert's value for an aspect goes to: their own score, or the shared measurement. */
export function serverMarkOf(marks: AspectMarks | undefined, input: InputKind, userId: string): ServerMark | undefined {
  if (marks === undefined) return undefined;
  if (input === 'score') return marks.marks.find((m) => m.input === 'score' && m.judge_id === userId);
  return marks.marks.find((m) => m.input !== 'score');
}

/** The newest local record of an aspect that still matters (resolved ones are history). */
export function latestLocal(local: readonly LocalMark[], aspect: string): LocalMark | undefined {
  let best: LocalMark | undefined;
  for (const m of local) {
    if (m.aspect !== aspect || m.state === 'resolved') continue;
    if (best === undefined || m.createdAt > best.createdAt) best = m;
  }
  return best;
}

/** What the tablet shows for an aspect: the value and where it stands. */
export interface Effective {
  /** null: not marked (different from 0). */
  value: number | null;
  note: string;
  unsure: boolean;
  state: 'unmarked' | 'server' | Exclude<LocalState, 'resolved'>;
  local?: LocalMark;
  server?: ServerMark;
}

export function effectiveOf(
  local: readonly LocalMark[],
  server: AspectMarks | undefined,
  aspect: string,
  input: InputKind,
  userId: string,
): Effective {
  const mine = latestLocal(local, aspect);
  const onServer = serverMarkOf(server, input, userId);
  const withServer = onServer === undefined ? {} : { server: onServer };
  if (mine !== undefined) {
    // A saved value gives way to a newer one on the server (another expert of the group changed it).
    const overtaken = mine.state === 'saved' && onServer !== undefined && onServer.version > (mine.savedVersion ?? 0);
    if (!overtaken) {
      const state = mine.state === 'resolved' ? 'saved' : mine.state;
      return { value: mine.value, note: mine.note, unsure: mine.unsure, state, local: mine, ...withServer };
    }
  }
  if (onServer !== undefined) {
    return { value: onServer.value, note: onServer.note ?? '', unsure: onServer.unsure, state: 'server', server: onServer };
  }
  return { value: null, note: '', unsure: false, state: 'unmarked' };
}

/**
 * The version a new value for an aspect replaces: the newest one known, or null when an earlier
 * value is still queued (the queue fills it in when that one is saved).
 */
export function baseVersionFor(local: readonly LocalMark[], server: AspectMarks | undefined, aspect: string, input: InputKind, userId: string): number | null {
  const eff = effectiveOf(local, server, aspect, input, userId);
  if (eff.state === 'pending') return null;
  if (eff.state === 'saved') return eff.local?.savedVersion ?? null;
  if (eff.state === 'conflict') return eff.local?.current?.version ?? null;
  return eff.server?.version ?? null;
}

/** Applies the server's answer for one queued mark. */
export function applyResult(mark: LocalMark, result: MarkResult): LocalMark {
  const { reason: _r, current: _c, ...rest } = mark;
  switch (result.outcome) {
    case 'saved':
    case 'unchanged':
      return { ...rest, state: 'saved', savedVersion: result.current?.version ?? mark.baseVersion ?? 1 };
    case 'conflict':
      return {
        ...rest,
        state: 'conflict',
        ...(result.current == null ? {} : { current: result.current }),
        reason: result.reason ?? '',
      };
    case 'rejected':
      return { ...rest, state: 'rejected', reason: result.reason ?? '' };
  }
}

/**
 * The next batch for an entry: the oldest pending value of each aspect whose base version is known
 * (a value queued after another waits for that one's answer).
 */
export function nextBatch(pending: readonly LocalMark[]): LocalMark[] {
  const byAspect = new Map<string, LocalMark>();
  for (const m of [...pending].sort((a, b) => a.createdAt - b.createdAt)) {
    if (m.state !== 'pending' || byAspect.has(m.aspect)) continue;
    byAspect.set(m.aspect, m);
  }
  return [...byAspect.values()];
}

/**
 * After a value was saved at `version`, the next queued value of the same aspect replaces that
 * version. Returns the records to update.
 */
export function chainAfterSave(all: readonly LocalMark[], saved: LocalMark): LocalMark[] {
  const next = all
    .filter((m) => m.aspect === saved.aspect && m.entryId === saved.entryId && m.state === 'pending' && m.createdAt > saved.createdAt)
    .sort((a, b) => a.createdAt - b.createdAt)[0];
  if (next === undefined || saved.savedVersion === undefined) return [];
  return [{ ...next, baseVersion: saved.savedVersion }];
}

/** An entry's status on the tablet, for the list. */
export interface EntryTally {
  total: number;
  /** Aspects with a value (saved, queued or on the server). `marked + left + closed = total`. */
  marked: number;
  pending: number;
  drafts: number;
  conflicts: number;
  rejected: number;
  locked: number;
  /** Aspects still open (not locked) without a value from this tablet or the server. */
  left: number;
  /** Aspects locked without a value (the chief expert locked them without this judge's mark). */
  closed: number;
  /** Judgement aspects this judge scored that all judges have scored, out of spread (to re-score). */
  outOfSpread: number;
}

/** Whether an entry still needs the expert: something to mark, confirm, resolve or re-score. */
export function needsWork(x: EntryTally): boolean {
  return x.left + x.drafts + x.pending + x.conflicts + x.rejected + x.outOfSpread > 0;
}

export function tally(
  aspects: readonly AspectView[],
  local: readonly LocalMark[],
  server: readonly AspectMarks[] | undefined,
  userId: string,
  maxSpread: number = Infinity,
): EntryTally {
  const byKey = new Map((server ?? []).map((a) => [a.aspect, a]));
  const t: EntryTally = { total: aspects.length, marked: 0, pending: 0, drafts: 0, conflicts: 0, rejected: 0, locked: 0, left: 0, closed: 0, outOfSpread: 0 };
  for (const a of aspects) {
    const s = byKey.get(a.key);
    const locked = s?.locked === true;
    if (locked) t.locked += 1;
    const eff = effectiveOf(local, s, a.key, inputKindOf(a.aspect), userId);
    const marked = eff.value !== null && eff.state !== 'draft' && eff.state !== 'rejected';
    if (marked) t.marked += 1;
    else if (locked) t.closed += 1;
    else t.left += 1;
    if (eff.state === 'pending') t.pending += 1;
    if (eff.state === 'draft') t.drafts += 1;
    if (eff.state === 'conflict') t.conflicts += 1;
    if (eff.state === 'rejected') t.rejected += 1;
    if (!locked && s !== undefined && (s.spread ?? 0) > maxSpread && serverMarkOf(s, 'score', userId) !== undefined) t.outOfSpread += 1;
  }
  return t;
}

/** A judgement aspect's other judges, as the expert may see them. */
export type Blind =
  | { kind: 'not_judgement' }
  /** The expert has not scored yet: nothing of the others is shown. */
  | { kind: 'score_first' }
  /** Scored, waiting for the other judges. */
  | { kind: 'waiting'; scored: number; needed: number }
  | { kind: 'all_scored'; scores: number[]; spread: number; outOfSpread: boolean };

export function blindOf(server: AspectMarks | undefined, aspect: Aspect, userId: string, maxSpread: number): Blind {
  if (aspect.type !== 'judgement') return { kind: 'not_judgement' };
  const mine = server?.marks.find((m) => m.input === 'score' && m.judge_id === userId);
  if (server === undefined || mine === undefined) return { kind: 'score_first' };
  if (server.hidden || server.judges_scored < server.judges_needed) {
    return { kind: 'waiting', scored: server.judges_scored, needed: server.judges_needed };
  }
  const scores = server.marks.filter((m) => m.input === 'score').map((m) => m.value);
  const spread = server.spread ?? (scores.length === 0 ? 0 : Math.max(...scores) - Math.min(...scores));
  return { kind: 'all_scored', scores, spread, outOfSpread: spread > maxSpread };
}

/**
 * Whether the entry's marks may still change under the judge's eyes: one of their judgement
 * scores waits for the other judges, or is out of spread (the others are expected to re-score).
 * The marking screen then reads the marks again now and then, so the spread warning appears,
 * and goes, without the judge leaving the screen.
 */
export function awaitsOtherJudges(marks: readonly AspectMarks[] | undefined, userId: string, maxSpread: number): boolean {
  return (marks ?? []).some((a) => {
    if (a.locked || a.judges_needed === 0) return false;
    if (!a.marks.some((m) => m.input === 'score' && m.judge_id === userId)) return false;
    return a.judges_scored < a.judges_needed || (a.spread ?? 0) > maxSpread;
  });
}

/** A random client id (the server accepts 1–64 characters). */
export function newClientId(): string {
  return crypto.randomUUID();
}

/**
 * The marking day an address asks for (`?day=2`), `null` for all days (`?day=all`), or
 * `undefined` when it names none (the list then starts with today's).
 */
export function dayParam(value: string | null): number | null | undefined {
  if (value === 'all') return null;
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 9 ? n : undefined;
}

/** The query string that keeps a chosen marking day when moving between the list and an entry. */
export function daySearch(day: number | null | undefined): string {
  return day === undefined ? '' : `?day=${day === null ? 'all' : day}`;
}

/** Today's marking day (1 for C1 …) from the event's calendar, or null outside C1…C4. */
export function markingDayOf(days: readonly { date: string; label: string }[], today: string): number | null {
  const day = days.find((d) => d.date === today);
  const match = day === undefined ? null : /^C(\d)$/.exec(day.label);
  return match === null || match[1] === undefined ? null : Number(match[1]);
}

/** A date as `YYYY-MM-DD` in a time zone (the event's). */
export function dateIn(timeZone: string, at: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/**
 * Keyboard moves within a group of score buttons (a radio group with a roving tab stop): the
 * index the focus goes to for `key`, or null when the key is not a move. ←/↑ and →/↓ step and
 * wrap, Home/End jump. Moving never selects: an arrow press must not enter a mark (explicit
 * entry); Space or Enter on the focused button does.
 */
export function rovingTarget(key: string, current: number, count: number): number | null {
  if (count <= 0) return null;
  const at = current < 0 ? 0 : current;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowUp':
      return current < 0 ? count - 1 : (at - 1 + count) % count;
    case 'ArrowRight':
    case 'ArrowDown':
      return current < 0 ? 0 : (at + 1) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The one button of a score group that takes the Tab stop: the selected one, else the first. */
export function tabStopOf<T>(options: readonly T[], selected: T | null): number {
  const i = selected === null ? -1 : options.indexOf(selected);
  return i < 0 ? 0 : i;
}

// ---------------------------------------------------------------------------------------------
// Entries on the floor

export function entryLabel(entry: Entry, t: (key: 'workstation' | 'code', o: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (entry.workstation != null) parts.push(t('workstation', { n: entry.workstation }));
  if (entry.code != null && entry.code !== '') parts.push(t('code', { code: entry.code }));
  return parts.join(' · ');
}

/** Entries in the order of the workshop floor: by workstation, then by code. */
export function byWorkstation(entries: readonly Entry[]): Entry[] {
  return [...entries].sort((a, b) => (a.workstation ?? 9999) - (b.workstation ?? 9999) || (a.code ?? '').localeCompare(b.code ?? ''));
}
