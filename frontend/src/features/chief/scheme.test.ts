import { describe, expect, it } from 'vitest';

import { aspectPath, countAspects, marksText, parseMarks, problemsByPath, totalHundredths, type Scheme } from './scheme';

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
