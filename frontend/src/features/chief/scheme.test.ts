import { describe, expect, it } from 'vitest';

import {
  addAspect,
  addCriterion,
  addSub,
  aspectPath,
  countAspects,
  marksListText,
  marksText,
  moveAspect,
  moveCriterion,
  moveSub,
  nextCriterionId,
  nextSubId,
  parseMarks,
  parseMarksList,
  problemsByPath,
  remainingHundredths,
  removeAspect,
  removeCriterion,
  removeSub,
  renameCriterion,
  schemeProblems,
  totalHundredths,
  updateAspect,
  updateCriterionName,
  updateSub,
  withMeasurement,
  withType,
  type Scheme,
} from './scheme';

const scheme: Scheme = {
  criteria: [
    {
      id: 'A',
      name: 'Design',
      sub_criteria: [
        {
          id: 'A1',
          name: 'Layout',
          aspects: [
            { type: 'measurement', measurement: { kind: 'pass_fail' }, description: 'Grid', max: 150, day: 1 },
            { type: 'judgement', descriptors: ['0', '1', '2', '3'], description: 'Look', max: 225, day: 1 },
          ],
        },
      ],
    },
  ],
};

describe('scheme helpers', () => {
  it('totals and counts aspects exactly in hundredths', () => {
    expect(totalHundredths(scheme)).toBe(375);
    expect(countAspects(scheme)).toBe(2);
    expect(marksText(totalHundredths(scheme))).toBe('3.75');
  });

  it('places problems on their line by path, numbering aspects from 1', () => {
    const byPath = problemsByPath([
      { path: 'A/A1/2', message: 'judgement aspect needs four descriptors' },
      { path: '', message: 'total is 3.75, not 100.00' },
      { path: 'A/A1/2', message: 'max must be positive' },
    ]);
    expect(byPath.get(aspectPath('A', 'A1', 1))).toEqual(['judgement aspect needs four descriptors', 'max must be positive']);
    expect(byPath.get('')).toEqual(['total is 3.75, not 100.00']);
  });

  it('reads marks typed with a point or a comma, refusing more than two decimals', () => {
    expect(parseMarks('1.5')).toBe(150);
    expect(parseMarks('1,05')).toBe(105);
    expect(parseMarks(' 2 ')).toBe(200);
    expect(parseMarks('0.125')).toBeNull();
    expect(parseMarks('-1')).toBeNull();
    expect(parseMarks('')).toBeNull();
  });
});

describe('structural editing', () => {
  const base = (): Scheme => ({
    criteria: [
      {
        id: 'A',
        name: 'Design',
        sub_criteria: [
          {
            id: 'A1',
            name: 'Layout',
            aspects: [
              { type: 'measurement', measurement: { kind: 'pass_fail' }, description: 'Grid', max: 4000, day: 1 },
              { type: 'judgement', descriptors: ['a', 'b', 'c', 'd'], description: 'Look', max: 6000, day: 2 },
            ],
          },
        ],
      },
    ],
  });

  it('a valid scheme of 100.00 has no problems', () => {
    expect(schemeProblems(base())).toEqual([]);
    expect(remainingHundredths(base())).toBe(0);
  });

  it('adds a criterion with the next free letter, a first sub-criterion and an aspect', () => {
    const next = addCriterion(base());
    expect(next.criteria.map((c) => c.id)).toEqual(['A', 'B']);
    expect(next.criteria[1]?.sub_criteria[0]?.id).toBe('B1');
    expect(countAspects(next)).toBe(3);
    expect(nextCriterionId({ criteria: Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ', (id) => ({ id, name: '', sub_criteria: [] })) })).toBe('AA');
  });

  it('numbers a new sub-criterion after the highest in use', () => {
    const twice = addSub(addSub(base(), 0), 0);
    expect(twice.criteria[0]?.sub_criteria.map((s) => s.id)).toEqual(['A1', 'A2', 'A3']);
    const gap = removeSub(twice, 0, 1);
    expect(nextSubId(gap.criteria[0]!)).toBe('A4');
  });

  it('renaming a criterion renames its sub-criteria', () => {
    const renamed = renameCriterion(addSub(base(), 0), 0, 'C');
    expect(renamed.criteria[0]?.id).toBe('C');
    expect(renamed.criteria[0]?.sub_criteria.map((s) => s.id)).toEqual(['C1', 'C2']);
    // Cleared on the way: the sub-criteria wait for a valid id, then follow.
    const cleared = renameCriterion(base(), 0, '');
    expect(cleared.criteria[0]?.sub_criteria[0]?.id).toBe('A1');
    expect(renameCriterion(cleared, 0, 'D').criteria[0]?.sub_criteria[0]?.id).toBe('D1');
  });

  it('moves and removes aspects, sub-criteria and criteria', () => {
    const moved = moveAspect(base(), 0, 0, 1, -1);
    expect(moved.criteria[0]?.sub_criteria[0]?.aspects.map((a) => a.description)).toEqual(['Look', 'Grid']);
    expect(moveAspect(base(), 0, 0, 0, -1)).toEqual(base());
    const two = moveCriterion(addCriterion(base()), 1, -1);
    expect(two.criteria.map((c) => c.id)).toEqual(['B', 'A']);
    expect(removeCriterion(two, 0).criteria.map((c) => c.id)).toEqual(['A']);
    const sub = moveSub(addSub(base(), 0), 0, 1, -1);
    expect(sub.criteria[0]?.sub_criteria.map((s) => s.id)).toEqual(['A2', 'A1']);
    expect(removeAspect(base(), 0, 0, 0).criteria[0]?.sub_criteria[0]?.aspects).toHaveLength(1);
  });

  it('a new aspect is marked on the day of the one before it', () => {
    const added = addAspect(base(), 0, 0, 'judgement');
    const aspect = added.criteria[0]?.sub_criteria[0]?.aspects[2];
    expect(aspect).toMatchObject({ type: 'judgement', day: 2, descriptors: ['', '', '', ''] });
  });

  it('switches types and measurement kinds, keeping the common fields', () => {
    const grid = base().criteria[0]!.sub_criteria[0]!.aspects[0]!;
    const j = withType(grid, 'judgement');
    expect(j).toMatchObject({ type: 'judgement', description: 'Grid', max: 4000, day: 1 });
    expect(withType(j, 'measurement')).toMatchObject({ type: 'measurement', measurement: { kind: 'pass_fail' } });
    expect(withMeasurement(grid, 'stepped')).toMatchObject({ measurement: { kind: 'stepped', allowed: [0, 4000] } });
    expect(withMeasurement(grid, 'deduction')).toMatchObject({ measurement: { kind: 'deduction', step: 25 } });
  });

  it('finds what the server finds, at the same paths', () => {
    let s = updateAspect(base(), 0, 0, 1, (a) => ({ ...a, description: ' ', max: 5000, day: 5 }));
    s = updateAspect(s, 0, 0, 0, (a) => ({ ...a, type: 'measurement', measurement: { kind: 'stepped', allowed: [0, 100] } }) as typeof a);
    s = updateSub(s, 0, 0, { id: 'B1' });
    s = addCriterion(s);
    s = renameCriterion(s, 1, 'A');
    s = updateCriterionName(s, 0, '');
    expect(schemeProblems(s).map((p) => `${p.path} ${p.code}`)).toEqual([
      'A criterion_name',
      'A/B1 sub_id',
      'A/B1/1 stepped_max',
      'A/B1/2 aspect_description',
      'A/B1/2 aspect_day',
      'A criterion_twice',
      'A criterion_name',
      'A/A1/1 aspect_description',
      ' total',
    ]);
    expect(schemeProblems({ criteria: [] }).map((p) => p.code)).toEqual(['no_criteria', 'total']);
  });

  it('checks stepped amounts, deduction steps and descriptors', () => {
    const one = (aspect: Scheme['criteria'][number]['sub_criteria'][number]['aspects'][number]) =>
      schemeProblems({ criteria: [{ id: 'A', name: 'n', sub_criteria: [{ id: 'A1', name: 'n', aspects: [aspect] }] }] }).map((p) => p.code);
    expect(one({ type: 'measurement', measurement: { kind: 'stepped', allowed: [0, 0] }, description: 'd', max: 10000, day: 1 })).toEqual(['stepped_amounts']);
    expect(one({ type: 'measurement', measurement: { kind: 'deduction', step: 0 }, description: 'd', max: 10000, day: 1 })).toEqual(['deduction_step']);
    expect(one({ type: 'judgement', descriptors: ['a', 'b', 'c'], description: 'd', max: 10000, day: 1 })).toEqual(['judgement_descriptors']);
    expect(one({ type: 'measurement', measurement: { kind: 'pass_fail' }, description: 'd', max: 0, day: 1 })).toEqual(['aspect_max', 'total']);
  });

  it('reads lists of amounts', () => {
    expect(parseMarksList('0 / 0.5 / 1,5 / 2')).toEqual([0, 50, 150, 200]);
    expect(parseMarksList('0, 0.5, 1')).toEqual([0, 50, 100]);
    expect(parseMarksList('0; x')).toBeNull();
    expect(parseMarksList('')).toBeNull();
    expect(marksListText([0, 50])).toBe('0.00 / 0.50');
  });
});
