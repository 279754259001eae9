import { describe, expect, it } from 'vitest';

import { filenameFrom } from '@/lib/files';
import { phaseOf } from '@/lib/phase';

import {
  awaitsRerelease,
  canRelease,
  disputeWindow,
  draftSummary,
  formToRules,
  hundredthsOf,
  nextCeremonyStep,
  refusedEntries,
  refusedLabels,
  releasePlan,
  revealedMedals,
  rulesFrozenBy,
  rulesToForm,
  scheduleProblem,
  sortDisputes,
  type DisputeView,
  type ResultLine,
  type ResultRules,
  type SkillStatus,
} from './model';

function status(number: string, over: Partial<SkillStatus> = {}): SkillStatus {
  return {
    skill_id: `s${number}`,
    skill_number: number,
    skill_name_zh: `项目${number}`,
    skill_name_en: `Skill ${number}`,
    state: 'draft',
    audience: 'none',
    ceremony_step: 0,
    open_disputes: 0,
    under_review: false,
    ...over,
  };
}

const draft = status('07');
const ratified = status('04', { state: 'ratified', ratified_at: '2026-11-20T10:00:00Z' });
const experts = status('05', { state: 'published', audience: 'experts', ratified_at: '2026-11-20T10:00:00Z' });
const published = status('01', { state: 'published', audience: 'public', ratified_at: '2026-11-20T10:00:00Z' });

describe('where results stand', () => {
  it('names the phase from the state and the audience', () => {
    expect(phaseOf(draft)).toBe('draft');
    expect(phaseOf(ratified)).toBe('ratified');
    expect(phaseOf(experts)).toBe('experts');
    expect(phaseOf(published)).toBe('public');
    expect(phaseOf(status('02', { state: 'final', audience: 'public' }))).toBe('final');
  });

  it('only widens a release, and never a draft', () => {
    expect(canRelease(draft, 'public')).toBe(false);
    expect(canRelease(ratified, 'experts')).toBe(true);
    expect(canRelease(experts, 'experts')).toBe(false);
    expect(canRelease(experts, 'delegations')).toBe(true);
    expect(canRelease(published, 'public')).toBe(false);
    // Reopened by an upheld dispute: the audiences keep the old publication until re-ratified.
    expect(canRelease(status('03', { state: 'draft', audience: 'public', under_review: true }), 'public')).toBe(false);
    // Re-ratified: released again to the same audience (or wider), never narrower.
    const again = status('03', { state: 'ratified', audience: 'delegations' });
    expect(awaitsRerelease(again)).toBe(true);
    expect(awaitsRerelease(ratified)).toBe(false);
    expect(canRelease(again, 'delegations')).toBe(true);
    expect(canRelease(again, 'public')).toBe(true);
    expect(canRelease(again, 'experts')).toBe(false);
  });

  it('plans a release of every ratified skill by name, leaving out the ones shown already', () => {
    const all = [draft, ratified, experts, published];
    expect(releasePlan(all, 'all', 'delegations').targets.map((s) => s.skill_number)).toEqual(['04', '05']);
    expect(releasePlan(all, 'all', 'delegations').skipped).toEqual([]);
    const chosen = releasePlan(all, new Set(['s07', 's04', 's01']), 'public');
    expect(chosen.targets.map((s) => s.skill_number)).toEqual(['04']);
    expect(chosen.skipped.map((s) => [s.status.skill_number, s.why])).toEqual([
      ['07', 'not_ratified'],
      ['01', 'already_released'],
    ]);
  });

  it('accepts a release time only in the future', () => {
    const now = new Date('2026-11-24T10:00').getTime();
    expect(scheduleProblem('', now)).toBe('required');
    expect(scheduleProblem('tomorrow', now)).toBe('invalid');
    expect(scheduleProblem('2026-11-24T09:59', now)).toBe('past');
    expect(scheduleProblem('2026-11-24T18:00', now)).toBeNull();
  });

  it('reveals bronze, silver, gold in turn at the ceremony, public results only', () => {
    expect(nextCeremonyStep(draft)).toBeNull();
    expect(nextCeremonyStep(ratified)).toBeNull();
    expect(nextCeremonyStep({ state: 'published', audience: 'delegations', ceremony_step: 0 })).toBeNull();
    expect(nextCeremonyStep({ state: 'published', audience: 'public', ceremony_step: 0 })).toEqual({ step: 1, medal: 'bronze' });
    expect(nextCeremonyStep({ state: 'published', audience: 'public', ceremony_step: 2 })).toEqual({ step: 3, medal: 'gold' });
    expect(nextCeremonyStep({ state: 'final', audience: 'public', ceremony_step: 1 })).toEqual({ step: 2, medal: 'silver' });
    expect(nextCeremonyStep({ state: 'published', audience: 'public', ceremony_step: 3 })).toBeNull();
    expect(nextCeremonyStep({ state: 'ratified', audience: 'public', ceremony_step: 1 })).toBeNull();
    expect(revealedMedals(2)).toEqual(['bronze', 'silver']);
    expect(revealedMedals(7)).toHaveLength(3);
  });
});

function line(code: string, complete: boolean, over: Partial<ResultLine> = {}): ResultLine {
  return {
    entry_id: `e-${code}-000000`,
    delegation_id: `d${code}`,
    delegation_code: code,
    delegation_name_zh: code,
    delegation_name_en: code,
    competitors: ['张伟'],
    raw: '77.78',
    score: 700,
    rank: 1,
    squad: false,
    criteria: [],
    sub_criteria: [],
    complete,
    ...over,
  };
}

describe('the live draft', () => {
  it('reads marks in exact hundredths', () => {
    expect(hundredthsOf('77.78')).toBe(7778);
    expect(hundredthsOf('100')).toBe(10000);
    expect(hundredthsOf('0.5')).toBe(50);
    expect(hundredthsOf('-1.25')).toBe(-125);
    expect(hundredthsOf('')).toBeNull();
    expect(hundredthsOf('1.234')).toBeNull();
  });

  it('is ready to ratify when every entry is locked', () => {
    expect(draftSummary([line('BJ', true), line('SH', true)])).toEqual({ entries: 2, complete: 2, incomplete: [], ready: true });
    const partly = draftSummary([line('BJ', true), line('SH', false, { code: 'X17' })]);
    expect(partly.ready).toBe(false);
    expect(partly.incomplete).toEqual(['X17']);
    expect(draftSummary([]).ready).toBe(false);
  });

  it('names refused entries as the table does', () => {
    const lines = [line('BJ', false), line('SH', false, { code: 'X17' })];
    expect(refusedLabels(['e-BJ-000000', 'e-SH-000000', 'unknown'], lines)).toEqual(['BJ', 'X17', 'unknown']);
  });

  it('lists the entries a refusal names', () => {
    expect(refusedEntries({ entries: ['A1', 'B2'] })).toEqual(['A1', 'B2']);
    expect(refusedEntries(null)).toEqual([]);
    expect(refusedEntries({ entries: 'x' })).toEqual([]);
  });
});

describe('the result rules form', () => {
  const rules: ResultRules = {
    scale: { centre: 700, points: 30, mad_factor: 1.4826 },
    tie_tolerance: 0,
    awards: { medallion_threshold: 700, mode: 'national' },
    squad_individuals: 10,
    squad_teams: 5,
    notice_days: 7,
  };

  it('round-trips the rules', () => {
    const form = rulesToForm(rules);
    expect(form['scale.mad_factor']).toBe('1.4826');
    expect(form['awards.mode']).toBe('national');
    expect(formToRules(form)).toEqual({ ok: true, rules });
    const worldskills: ResultRules = { ...rules, awards: { medallion_threshold: 690, mode: 'worldskills' } };
    expect(formToRules(rulesToForm(worldskills))).toEqual({ ok: true, rules: worldskills });
  });

  it('accepts a decimal comma and reports what cannot be sent', () => {
    const form = { ...rulesToForm(rules), 'scale.mad_factor': '1,5', notice_days: '2.5', squad_teams: '', 'scale.points': 'x' };
    const result = formToRules(form);
    expect(result).toEqual({ ok: false, problems: { notice_days: 'whole', squad_teams: 'required', 'scale.points': 'number' } });
    const fixed = formToRules({ ...form, notice_days: '3', squad_teams: '-1', 'scale.points': '30' });
    expect(fixed).toEqual({ ok: false, problems: { squad_teams: 'negative' } });
    const ok = formToRules({ ...form, notice_days: '3', squad_teams: '0', 'scale.points': '30' });
    expect(ok.ok && ok.rules.scale.mad_factor).toBe(1.5);
  });

  it('is frozen once any skill was ratified', () => {
    expect(rulesFrozenBy([draft])).toEqual([]);
    expect(rulesFrozenBy([draft, ratified, published])).toEqual(['04', '01']);
    // Reopened by a dispute: still ratified once, the rules stay.
    expect(rulesFrozenBy([status('03', { ratified_at: '2026-11-20T10:00:00Z' })])).toEqual(['03']);
  });
});

describe('disputes', () => {
  const d = (id: string, status: DisputeView['status'], filed: string): DisputeView => ({
    id,
    skill_id: 's',
    entry_id: 'e',
    delegation_id: 'd',
    delegation_code: 'SH',
    reason: 'r',
    status,
    filed_at: filed,
  });

  it('lists open disputes first, newest first', () => {
    const sorted = sortDisputes([
      d('a', 'rejected', '2026-11-24T09:00:00Z'),
      d('b', 'open', '2026-11-23T09:00:00Z'),
      d('c', 'open', '2026-11-24T08:00:00Z'),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });

  it('is open until the notice period ends', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(disputeWindow({ state: 'published', notice_ends: null, under_review: false }, now)).toBe('open');
    expect(disputeWindow({ state: 'published', notice_ends: '2026-11-30T10:00:00Z', under_review: false }, now)).toBe('open');
    expect(disputeWindow({ state: 'published', notice_ends: '2026-11-24T09:00:00Z', under_review: false }, now)).toBe('over');
    expect(disputeWindow({ state: 'final', notice_ends: null, under_review: false }, now)).toBe('over');
  });
});

describe('downloads', () => {
  it('names the file as the server does', () => {
    expect(filenameFrom('attachment; filename="results.csv"', 'x')).toBe('results.csv');
    expect(filenameFrom('inline; filename=results.pdf', 'x')).toBe('results.pdf');
    expect(filenameFrom("attachment; filename*=UTF-8''%E6%88%90%E7%BB%A9.csv", 'x')).toBe('成绩.csv');
    expect(filenameFrom(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
