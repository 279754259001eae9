import { describe, expect, it } from 'vitest';

import {
  cutLineAfter,
  lineMarks,
  movedUpBy,
  parseSkillNumbers,
  pathOutcome,
  parseWeights,
  proposalSummary,
  tieRuleOf,
  weightsText,
  type StandingLine,
} from './model';

function line(rank: number, over: Partial<StandingLine> = {}): StandingLine {
  return {
    advances: false,
    breakdown: [],
    competitors: [`C${rank}`],
    decided_by_tie_break: false,
    delegation_code: 'BJ',
    delegation_name_en: 'Beijing',
    delegation_name_zh: '北京',
    entry_id: `e${rank}`,
    moved_up: false,
    rank,
    standing: '700.00',
    tied_at_cut: false,
    ...over,
  };
}

describe('lineMarks', () => {
  it('marks advancing, out, tied and tie-break lines', () => {
    expect(lineMarks(line(1, { advances: true }))).toEqual(['advances']);
    expect(lineMarks(line(3))).toEqual(['out']);
    expect(lineMarks(line(2, { advances: true, tied_at_cut: true, decided_by_tie_break: true }))).toEqual([
      'advances',
      'tied',
      'tie_break',
    ]);
  });
  it('puts a withdrawal or ineligibility before the rest', () => {
    expect(lineMarks(line(1, { withdrawn_reason: 'injury' }))).toEqual(['withdrawn']);
    expect(lineMarks(line(1, { ineligible: 'too old' }))).toEqual(['ineligible']);
    expect(lineMarks(line(3, { advances: true, moved_up: true }))).toEqual(['advances', 'moved_up']);
  });
});

describe('cutLineAfter', () => {
  it('draws the line below the last advancing line', () => {
    expect(cutLineAfter([line(1, { advances: true }), line(2, { advances: true }), line(3)])).toBe(1);
  });
  it('skips a withdrawn line above the cut', () => {
    const lines = [line(1, { withdrawn_reason: 'injury' }), line(2, { advances: true }), line(3, { advances: true, moved_up: true }), line(4)];
    expect(cutLineAfter(lines)).toBe(2);
  });
  it('draws no line when all or none advance', () => {
    expect(cutLineAfter([line(1, { advances: true })])).toBeNull();
    expect(cutLineAfter([line(1), line(2)])).toBeNull();
    expect(cutLineAfter([])).toBeNull();
  });
});

describe('proposalSummary', () => {
  it('counts the advancing and sees all tied advancing over the cut', () => {
    const lines = [
      line(1, { advances: true }),
      line(2, { advances: true, tied_at_cut: true }),
      line(2, { advances: true, tied_at_cut: true, entry_id: 'e2b' }),
      line(4),
    ];
    expect(proposalSummary({ lines, cut: 2 })).toEqual({ total: 4, advancing: 3, overCut: true, tie: true });
  });
  it('leaves the withdrawn out of the total', () => {
    const lines = [line(1, { withdrawn_reason: 'x' }), line(2, { advances: true })];
    expect(proposalSummary({ lines, cut: 1 })).toEqual({ total: 1, advancing: 1, overCut: false, tie: false });
  });
});

describe('weights', () => {
  it('parses one percentage per stage summing to 100', () => {
    expect(parseWeights('30, 70', 2)).toEqual([30, 70]);
    expect(parseWeights('30，70', 2)).toEqual([30, 70]);
    expect(parseWeights('  ', 2)).toBeNull();
    expect(parseWeights('30, 60', 2)).toBe('invalid');
    expect(parseWeights('100', 2)).toBe('invalid');
    expect(parseWeights('30.5, 69.5', 2)).toBe('invalid');
  });
  it('shows "this stage only" as empty', () => {
    expect(weightsText([0, 100])).toBe('');
    expect(weightsText([100])).toBe('');
    expect(weightsText([30, 70])).toBe('30, 70');
  });
});

describe('tieRuleOf', () => {
  it('needs a criterion for a tie-break', () => {
    expect(tieRuleOf('all_tied_advance', 'A')).toEqual({ rule: 'all_tied_advance' });
    expect(tieRuleOf('higher_in_criterion', ' B ')).toEqual({ rule: 'higher_in_criterion', criterion: 'B' });
    expect(tieRuleOf('higher_in_criterion', '')).toBeNull();
  });
});

describe('parseSkillNumbers', () => {
  it('splits numbers and leaves empty as every skill', () => {
    expect(parseSkillNumbers('17, 39 、 41')).toEqual(['17', '39', '41']);
    expect(parseSkillNumbers(' ')).toBeUndefined();
  });
});

describe('movedUpBy', () => {
  it('finds who advances after a withdrawal and did not before', () => {
    const before = [line(1, { advances: true }), line(2, { advances: true }), line(3)];
    const after = [line(1, { withdrawn_reason: 'injury' }), line(2, { advances: true }), line(3, { advances: true, moved_up: true })];
    expect(movedUpBy(before, after).map((l) => l.entry_id)).toEqual(['e3']);
  });
});

describe('pathOutcome', () => {
  it('tells advanced, not advanced, pending and not entered apart', () => {
    expect(pathOutcome({ entry_id: 'e', advanced: true })).toBe('advanced');
    expect(pathOutcome({ entry_id: 'e', advanced: false })).toBe('not_advanced');
    expect(pathOutcome({ entry_id: 'e', advanced: null })).toBe('pending');
    expect(pathOutcome({ entry_id: null })).toBe('not_entered');
  });
});
