import { describe, expect, it } from 'vitest';

import type { components } from '@/api/schema';
import { listLine } from '@/testing/selection';

import { ownLines, programmesOfEvent } from './selection';

type ReleasedProgramme = components['schemas']['ReleasedProgramme'];

const line = (code: string, entry: string) =>
  listLine({ delegation_code: code, delegation_name_en: code, delegation_name_zh: code, entry_id: entry });

const programme = (id: string, events: string[]): ReleasedProgramme => ({
  programme_id: id,
  programme_name: id,
  target_competition: 'WorldSkills',
  target_year: 2026,
  event_ids: events,
  stages: [],
  team_audience: 'public',
});

describe('the team leader’s selection lists', () => {
  it('keeps only the lines of the delegation’s code', () => {
    const lines = [line('TJ', 'e1'), line('SH', 'e2'), line('TJ', 'e3')];
    expect(ownLines(lines, 'TJ').map((l) => l.entry_id)).toEqual(['e1', 'e3']);
    expect(ownLines(lines, 'BJ')).toEqual([]);
  });

  it('shows nothing while the delegation is not known', () => {
    expect(ownLines([line('TJ', 'e1')], undefined)).toEqual([]);
    expect(ownLines([line('', 'e1')], '')).toEqual([]);
  });

  it('lists the programmes one of whose stages is the event', () => {
    const all = [programme('p1', ['ev1', 'ev2']), programme('p2', ['ev3'])];
    expect(programmesOfEvent(all, 'ev2').map((p) => p.programme_id)).toEqual(['p1']);
    expect(programmesOfEvent(all, 'ev9')).toEqual([]);
  });
});
