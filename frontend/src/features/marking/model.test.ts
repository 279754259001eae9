import { describe, expect, it } from 'vitest';

import {
  applyResult,
  aspectsToMark,
  awaitsOtherJudges,
  baseVersionFor,
  blindOf,
  chainAfterSave,
  dateIn,
  dayParam,
  daySearch,
  markingDayOf,
  controlOf,
  deductionMark,
  effectiveOf,
  maxDeductions,
  needsWork,
  nextBatch,
  rovingTarget,
  subCriteriaOf,
  tabStopOf,
  tally,
  toInput,
  type Aspect,
  type AspectMarks,
  type LocalMark,
  type Scheme,
  type ServerMark,
} from './model';

const descriptors = ['below', 'meets', 'exceeds', 'excellent'];
const judgement: Aspect = { type: 'judgement', descriptors, description: 'Workmanship', day: 1, max: 500 };
const passFail: Aspect = { type: 'measurement', measurement: { kind: 'pass_fail' }, description: 'Size', day: 1, max: 500 };
const stepped: Aspect = { type: 'measurement', measurement: { kind: 'stepped', allowed: [500, 0, 250] }, description: 'Function', day: 2, max: 500 };
const deduction: Aspect = { type: 'measurement', measurement: { kind: 'deduction', step: 50 }, description: 'Safety', day: 2, max: 120 };

const scheme: Scheme = {
  criteria: [
    { id: 'A', name: 'A', sub_criteria: [{ id: 'A1', name: 'A1', aspects: [passFail, judgement] }] },
    { id: 'B', name: 'B', sub_criteria: [{ id: 'B1', name: 'B1', aspects: [stepped, deduction] }] },
  ],
};

const ME = 'judge-1';

function local(over: Partial<LocalMark>): LocalMark {
  return {
    clientId: 'c1',
    userId: ME,
    skillId: 's',
    entryId: 'e',
    aspect: 'A1.1',
    input: 'amount',
    value: 500,
    note: '',
    unsure: false,
    baseVersion: null,
    enteredAt: '2027-06-13T08:00:00Z',
    createdAt: 1,
    state: 'draft',
    ...over,
  };
}

function serverMark(over: Partial<ServerMark>): ServerMark {
  return { aspect: 'A1.1', entered_by: 'someone', input: 'amount', value: 0, version: 1, unsure: false, ...over };
}

function aspectMarks(over: Partial<AspectMarks>): AspectMarks {
  return { aspect: 'A1.1', hidden: false, judges_needed: 0, judges_scored: 0, locked: false, marks: [], ...over };
}

describe('what an expert marks', () => {
  it('lists only the aspects of their groups’ sub-criteria, keyed A1.1, A1.2 …', () => {
    const groups = [
      { id: 'g1', skill_id: 's', name: 'one', members: [ME], sub_criteria: ['B1'] },
      { id: 'g2', skill_id: 's', name: 'two', members: ['other'], sub_criteria: ['A1'] },
    ];
    const subs = subCriteriaOf(groups, ME);
    expect([...subs]).toEqual(['B1']);
    expect(aspectsToMark(scheme, subs).map((a) => a.key)).toEqual(['B1.1', 'B1.2']);
  });

  it('offers 0–3 with descriptors, the allowed amounts in order, or a deduction counter', () => {
    expect(controlOf(judgement)).toEqual({ kind: 'judgement', descriptors });
    expect(controlOf(passFail)).toEqual({ kind: 'choices', options: [0, 500] });
    expect(controlOf(stepped)).toEqual({ kind: 'choices', options: [0, 250, 500] });
    expect(controlOf(deduction)).toEqual({ kind: 'deduction', step: 50, max: 120 });
    // 1.20 in steps of 0.50: three deductions reach 0, more change nothing.
    expect(maxDeductions(50, 120)).toBe(3);
    expect(deductionMark(50, 120, 2)).toBe(20);
    expect(deductionMark(50, 120, 3)).toBe(0);
  });
});

describe('what the tablet shows for an aspect', () => {
  it('tells an unmarked aspect from a 0', () => {
    expect(effectiveOf([], undefined, 'A1.1', 'amount', ME)).toMatchObject({ value: null, state: 'unmarked' });
    const zero = aspectMarks({ marks: [serverMark({ value: 0 })] });
    expect(effectiveOf([], zero, 'A1.1', 'amount', ME)).toMatchObject({ value: 0, state: 'server' });
  });

  it('shows the expert’s own judgement score, not another judge’s', () => {
    const marks = aspectMarks({
      aspect: 'A1.2',
      marks: [serverMark({ aspect: 'A1.2', input: 'score', judge_id: 'judge-2', value: 3 })],
    });
    expect(effectiveOf([], marks, 'A1.2', 'score', ME).value).toBeNull();
  });

  it('prefers the newest local value, until the server has a newer version than the one saved', () => {
    const saved = local({ state: 'saved', savedVersion: 2, value: 250 });
    const onServer = aspectMarks({ marks: [serverMark({ value: 250, version: 2 })] });
    expect(effectiveOf([saved], onServer, 'A1.1', 'amount', ME)).toMatchObject({ value: 250, state: 'saved' });
    const changedElsewhere = aspectMarks({ marks: [serverMark({ value: 0, version: 3 })] });
    expect(effectiveOf([saved], changedElsewhere, 'A1.1', 'amount', ME)).toMatchObject({ value: 0, state: 'server' });
  });
});

describe('the queue', () => {
  it('sends the version a change replaces, and only one of the payload fields', () => {
    const now = Date.parse('2027-06-13T09:00:00Z');
    expect(toInput(local({ baseVersion: 4, note: '  too short ', unsure: true }), now)).toEqual({
      client_id: 'c1',
      aspect: 'A1.1',
      entered_at: '2027-06-13T08:00:00Z',
      unsure: true,
      note: 'too short',
      version: 4,
      amount: 500,
    });
    // Queued offline for a day: sent without the entry time the server would refuse as a wrong clock.
    expect(toInput(local({}), Date.parse('2027-06-14T09:00:00Z'))).not.toHaveProperty('entered_at');
    const first = toInput(local({ input: 'score', value: 2, aspect: 'A1.2' }));
    expect(first).not.toHaveProperty('version');
    expect(first.score).toBe(2);
    expect(first.amount).toBeUndefined();
  });

  it('sends one value per aspect at a time, oldest first', () => {
    const a = local({ clientId: 'a', createdAt: 1, state: 'pending' });
    const b = local({ clientId: 'b', createdAt: 2, state: 'pending' });
    const c = local({ clientId: 'c', createdAt: 3, state: 'pending', aspect: 'A1.2' });
    const draft = local({ clientId: 'd', createdAt: 0, state: 'draft', aspect: 'B1.1' });
    expect(nextBatch([b, c, a, draft]).map((m) => m.clientId)).toEqual(['a', 'c']);
  });

  it('a value queued after another replaces the version the first one was saved at', () => {
    const first = local({ clientId: 'a', createdAt: 1, state: 'pending' });
    const second = local({ clientId: 'b', createdAt: 2, state: 'pending', value: 0 });
    const saved = applyResult(first, { client_id: 'a', aspect: 'A1.1', outcome: 'saved', current: serverMark({ version: 1, value: 500 }) });
    expect(saved).toMatchObject({ state: 'saved', savedVersion: 1 });
    expect(chainAfterSave([first, second], saved)).toEqual([{ ...second, baseVersion: 1 }]);
    // The expert’s next edit replaces what is queued: its version is filled in when that is saved.
    expect(baseVersionFor([second], undefined, 'A1.1', 'amount', ME)).toBeNull();
  });

  it('a replayed batch (answer lost) counts as saved; a conflict keeps the server’s value; a refusal its reason', () => {
    const mark = local({ state: 'pending' });
    expect(applyResult(mark, { client_id: 'c1', aspect: 'A1.1', outcome: 'unchanged', current: serverMark({ version: 5 }) })).toMatchObject({
      state: 'saved',
      savedVersion: 5,
    });
    const theirs = serverMark({ value: 250, version: 2 });
    const conflict = applyResult(mark, { client_id: 'c1', aspect: 'A1.1', outcome: 'conflict', current: theirs, reason: 'the mark is at version 2' });
    expect(conflict).toMatchObject({ state: 'conflict', current: theirs });
    // Choosing again after a conflict replaces the version the server has.
    expect(baseVersionFor([conflict], undefined, 'A1.1', 'amount', ME)).toBe(2);
    expect(applyResult(mark, { client_id: 'c1', aspect: 'A1.1', outcome: 'rejected', reason: 'A1 is locked' })).toMatchObject({
      state: 'rejected',
      reason: 'A1 is locked',
    });
  });

  it('counts what is marked, queued, in conflict and locked for an entry', () => {
    const aspects = aspectsToMark(scheme, new Set(['A1', 'B1']));
    const server = [
      aspectMarks({ aspect: 'A1.1', marks: [serverMark({ value: 500 })] }),
      aspectMarks({ aspect: 'B1.1', locked: true }),
    ];
    const marks = [
      local({ clientId: 'x', aspect: 'A1.2', input: 'score', value: 1, state: 'pending' }),
      local({ clientId: 'y', aspect: 'B1.2', input: 'deductions', value: 1, state: 'conflict' }),
    ];
    // B1.1 is locked without a value of this judge: not left to mark.
    expect(tally(aspects, marks, server, ME)).toEqual({
      total: 4,
      marked: 3,
      pending: 1,
      drafts: 0,
      conflicts: 1,
      rejected: 0,
      locked: 1,
      left: 0,
      closed: 1,
      outOfSpread: 0,
    });
    // The figures add up: marked, left to mark and locked without a mark make the total.
    expect(tally(aspects, [], server, ME)).toMatchObject({ total: 4, marked: 1, left: 2, closed: 1, locked: 1 });
  });

  it('counts the judge’s scores that are out of spread, and knows which entries still need the expert', () => {
    const aspects = aspectsToMark(scheme, new Set(['A1']));
    const judged = (values: number[], spread: number, locked = false): AspectMarks =>
      aspectMarks({
        aspect: 'A1.2',
        judges_needed: 3,
        judges_scored: values.length,
        spread,
        locked,
        marks: values.map((value, i) => serverMark({ aspect: 'A1.2', input: 'score', judge_id: i === 0 ? ME : `j${i}`, value })),
      });
    const measured = aspectMarks({ aspect: 'A1.1', marks: [serverMark({ value: 500 })] });
    const outside = tally(aspects, [], [measured, judged([3, 1, 2], 2)], ME, 1);
    expect(outside).toMatchObject({ left: 0, outOfSpread: 1 });
    expect(needsWork(outside)).toBe(true);
    const within = tally(aspects, [], [measured, judged([2, 1, 2], 1)], ME, 1);
    expect(within).toMatchObject({ left: 0, outOfSpread: 0 });
    expect(needsWork(within)).toBe(false);
    // Locked (reviewed by the chief expert), or not this judge's score: nothing to re-score.
    expect(tally(aspects, [], [measured, judged([3, 1, 2], 2, true)], ME, 1).outOfSpread).toBe(0);
    expect(tally(aspects, [], [measured, judged([3, 1, 2], 2)], 'someone-else', 1).outOfSpread).toBe(0);
    expect(needsWork(tally(aspects, [], [measured], ME, 1))).toBe(true);
  });
});

describe('blind judgement', () => {
  const scores = (values: number[], needed = 3): AspectMarks =>
    aspectMarks({
      aspect: 'A1.2',
      judges_needed: needed,
      judges_scored: values.length,
      marks: values.map((value, i) => serverMark({ aspect: 'A1.2', input: 'score', judge_id: i === 0 ? ME : `j${i}`, value })),
    });

  it('shows nothing of the others before the judge has scored, then waits for all, then warns out of spread', () => {
    expect(blindOf(undefined, judgement, ME, 1)).toEqual({ kind: 'score_first' });
    expect(blindOf(aspectMarks({ aspect: 'A1.2', hidden: true, judges_needed: 3, judges_scored: 2 }), judgement, ME, 1)).toEqual({
      kind: 'score_first',
    });
    expect(blindOf(scores([2]), judgement, ME, 1)).toEqual({ kind: 'waiting', scored: 1, needed: 3 });
    expect(blindOf({ ...scores([2, 2, 3]), spread: 1 }, judgement, ME, 1)).toEqual({ kind: 'all_scored', scores: [2, 2, 3], spread: 1, outOfSpread: false });
    expect(blindOf({ ...scores([0, 2, 3]), spread: 3 }, judgement, ME, 1)).toMatchObject({ kind: 'all_scored', outOfSpread: true });
    expect(blindOf(undefined, passFail, ME, 1)).toEqual({ kind: 'not_judgement' });
  });

  it('keeps reading the marks while a score of this judge waits for the others or is out of spread', () => {
    expect(awaitsOtherJudges(undefined, ME, 1)).toBe(false);
    expect(awaitsOtherJudges([scores([2])], ME, 1)).toBe(true);
    expect(awaitsOtherJudges([{ ...scores([3, 1, 2]), spread: 2 }], ME, 1)).toBe(true);
    expect(awaitsOtherJudges([{ ...scores([2, 1, 2]), spread: 1 }], ME, 1)).toBe(false);
    // Not scored by this judge yet (blind), or locked: nothing to wait for.
    expect(awaitsOtherJudges([aspectMarks({ aspect: 'A1.2', hidden: true, judges_needed: 3, judges_scored: 2 })], ME, 1)).toBe(false);
    expect(awaitsOtherJudges([{ ...scores([2]), locked: true }], ME, 1)).toBe(false);
    // Measurements have no other judges.
    expect(awaitsOtherJudges([aspectMarks({ aspect: 'A1.1', marks: [serverMark({ value: 500 })] })], ME, 1)).toBe(false);
  });
});

describe('what is left today', () => {
  const days = [
    { date: '2027-06-11', label: 'C-2' },
    { date: '2027-06-13', label: 'C1' },
    { date: '2027-06-14', label: 'C2' },
    { date: '2027-06-17', label: 'C+1' },
  ];
  it('knows the marking day from the event calendar, in the event’s time zone', () => {
    expect(markingDayOf(days, '2027-06-14')).toBe(2);
    expect(markingDayOf(days, '2027-06-11')).toBeNull();
    expect(markingDayOf(days, '2027-06-17')).toBeNull();
    expect(markingDayOf(days, '2027-07-01')).toBeNull();
    // 23:30 UTC on 13 June is already 14 June in Shanghai.
    expect(dateIn('Asia/Shanghai', new Date('2027-06-13T23:30:00Z'))).toBe('2027-06-14');
  });
});

describe('score buttons by keyboard', () => {
  it('steps with the arrows and wraps around', () => {
    expect(rovingTarget('ArrowRight', 0, 4)).toBe(1);
    expect(rovingTarget('ArrowDown', 3, 4)).toBe(0);
    expect(rovingTarget('ArrowLeft', 0, 4)).toBe(3);
    expect(rovingTarget('ArrowUp', 2, 4)).toBe(1);
  });
  it('jumps with Home and End', () => {
    expect(rovingTarget('Home', 2, 4)).toBe(0);
    expect(rovingTarget('End', 0, 4)).toBe(3);
  });
  it('starts at an end when no button has the focus', () => {
    expect(rovingTarget('ArrowRight', -1, 2)).toBe(0);
    expect(rovingTarget('ArrowLeft', -1, 2)).toBe(1);
  });
  it('ignores other keys and empty groups', () => {
    expect(rovingTarget('Enter', 1, 4)).toBeNull();
    expect(rovingTarget(' ', 1, 4)).toBeNull();
    expect(rovingTarget('ArrowRight', 0, 0)).toBeNull();
  });
  it('gives the tab stop to the selected value, else the first (nothing is selected for the expert)', () => {
    expect(tabStopOf([0, 1, 2, 3], null)).toBe(0);
    expect(tabStopOf([0, 1, 2, 3], 2)).toBe(2);
    expect(tabStopOf([0, 250, 500], 0)).toBe(0);
    expect(tabStopOf([0, 250, 500], 125)).toBe(0);
  });
});

describe('the marking day in the address', () => {
  it('reads a day, all days, or nothing', () => {
    expect(dayParam('2')).toBe(2);
    expect(dayParam('all')).toBeNull();
    expect(dayParam(null)).toBeUndefined();
    expect(dayParam('x')).toBeUndefined();
    expect(dayParam('0')).toBeUndefined();
    expect(dayParam('1.5')).toBeUndefined();
  });
  it('writes it back', () => {
    expect(daySearch(2)).toBe('?day=2');
    expect(daySearch(null)).toBe('?day=all');
    expect(daySearch(undefined)).toBe('');
    expect(dayParam(daySearch(3).slice(5))).toBe(3);
  });
});
