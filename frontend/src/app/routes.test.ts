import { describe, expect, it } from 'vitest';

import { screensFor } from '@/app/App';

describe('the results workflow’s addresses', () => {
  it('load their own screens, not the chief expert’s or the team leader’s others', () => {
    expect(screensFor('/events/e1/skills/s1/results')).toEqual(['console', 'skillResults']);
    expect(screensFor('/events/e1/skills/s1/progress')).toEqual(['console', 'chief']);
    expect(screensFor('/events/e1/results')).toEqual(['console', 'publication']);
    expect(screensFor('/events/e1/disputes')).toEqual(['console', 'disputes']);
    expect(screensFor('/events/e1/team/d1/results')).toEqual(['console', 'teamResults']);
    expect(screensFor('/events/e1/team/d1')).toEqual(['console', 'team']);
  });
});
