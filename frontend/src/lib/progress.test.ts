import { describe, expect, it } from 'vitest';

import { cellState, filterEntries, lockPlan, sortByWorkstation, subCriteriaOf, summarise, type EntryProgress, type SubStatus } from './progress';

const sub = (id: string, over: Partial<SubStatus> = {}): SubStatus => ({
  sub_criterion: id,
  aspects: 3,
  marked: 3,
  missing: [],
  out_of_spread: [],
  locked: false,
  ...over,
});

const progress: EntryProgress[] = [
  { entry_id: 'e2', workstation: 2, sub_criteria: [sub('A1', { locked: true }), sub('B1')] },
  { entry_id: 'e1', workstation: 1, sub_criteria: [sub('A1', { out_of_spread: ['A1.2'] }), sub('B1', { marked: 1, missing: ['B1.2', 'B1.3'] })] },
  { entry_id: 'e3', workstation: null, sub_criteria: [sub('A1', { marked: 0, missing: ['A1.1', 'A1.2', 'A1.3'] }), sub('B1', { locked: true })] },
];

describe('cellState', () => {
  it('locked wins; out of spread before complete; complete is ready to lock', () => {
    expect(cellState(sub('A1', { locked: true, out_of_spread: ['A1.1'] }))).toBe('locked');
    expect(cellState(sub('A1', { out_of_spread: ['A1.1'] }))).toBe('out_of_spread');
    expect(cellState(sub('A1'))).toBe('ready');
    expect(cellState(sub('A1', { marked: 2, missing: ['A1.3'] }))).toBe('incomplete');
    expect(cellState(sub('A1', { marked: 0, missing: ['A1.1'] }))).toBe('empty');
  });
});

describe('summarise and filter', () => {
  it('counts every cell once', () => {
    expect(summarise(progress)).toEqual({ cells: 6, locked: 2, ready: 1, outOfSpread: 1, incomplete: 2 });
  });

  it('finds entries needing attention and entries ready to lock', () => {
    expect(filterEntries(progress, 'attention').map((e) => e.entry_id)).toEqual(['e1', 'e3']);
    expect(filterEntries(progress, 'ready').map((e) => e.entry_id)).toEqual(['e2']);
  });

  it('orders by workstation, entries without one last, and lists sub-criteria in scheme order', () => {
    expect(sortByWorkstation(progress).map((e) => e.entry_id)).toEqual(['e1', 'e2', 'e3']);
    expect(subCriteriaOf(progress)).toEqual(['A1', 'B1']);
  });
});

describe('lockPlan', () => {
  it('locks every ready cell and names what it leaves, by workstation', () => {
    expect(lockPlan(progress)).toEqual({
      ready: [{ entryId: 'e2', sub: 'B1' }],
      outOfSpread: [{ entryId: 'e1', sub: 'A1' }],
      incomplete: [
        { entryId: 'e1', sub: 'B1' },
        { entryId: 'e3', sub: 'A1' },
      ],
    });
  });
});
