import { describe, expect, it } from 'vitest';

import type { Delegation, Entry, Skill } from '@/lib/api/queries';

import { entryActions, entryRows, statusCounts, TARGET_STATUS } from './entryList';

const skill = (id: string, number: string, team_size = 1) => ({ id, number, team_size }) as Skill;
const delegation = (id: string, code: string) => ({ id, code }) as Delegation;
const competitor = { id: 'c', name: 'x' } as Entry['competitors'][number];
const entry = (id: string, skill_id: string, delegation_id: string, status: Entry['status'], members = 1) =>
  ({ id, skill_id, delegation_id, status, competitors: Array.from({ length: members }, () => competitor) }) as Entry;

const skills = [skill('s17', '17'), skill('s9', '9', 2)];
const delegations = [delegation('bj', 'BJ'), delegation('sh', 'SH')];
const entries = [
  entry('1', 's17', 'sh', 'registered'),
  entry('2', 's17', 'bj', 'confirmed'),
  entry('3', 's9', 'sh', 'withdrawn', 2),
];

describe('entryRows', () => {
  it('sorts by skill number (numerically) then delegation code', () => {
    const rows = entryRows(entries, skills, delegations, { skillId: '', delegationId: '', status: '' });
    expect(rows.map((r) => r.entry.id)).toEqual(['3', '2', '1']);
    expect(rows[0]?.teamSize).toBe(2);
  });
  it('filters by skill, delegation and status together', () => {
    expect(entryRows(entries, skills, delegations, { skillId: 's17', delegationId: '', status: '' })).toHaveLength(2);
    expect(entryRows(entries, skills, delegations, { skillId: '', delegationId: 'sh', status: '' })).toHaveLength(2);
    const one = entryRows(entries, skills, delegations, { skillId: 's17', delegationId: 'sh', status: 'registered' });
    expect(one.map((r) => r.entry.id)).toEqual(['1']);
    expect(entryRows(entries, skills, delegations, { skillId: 's9', delegationId: '', status: 'confirmed' })).toEqual([]);
  });
});

describe('entryActions', () => {
  it('confirms only a complete team', () => {
    expect(entryActions(entry('a', 's9', 'bj', 'registered', 1), 2)).toEqual(['withdraw']);
    expect(entryActions(entry('a', 's9', 'bj', 'registered', 2), 2)).toEqual(['confirm', 'withdraw']);
  });
  it('reopens or withdraws a confirmed entry, reinstates a withdrawn one', () => {
    expect(entryActions(entry('a', 's17', 'bj', 'confirmed'), 1)).toEqual(['reopen', 'withdraw']);
    expect(entryActions(entry('a', 's17', 'bj', 'withdrawn'), 1)).toEqual(['reinstate']);
    expect(TARGET_STATUS.reinstate).toBe('registered');
  });
});

it('statusCounts counts every status', () => {
  expect(statusCounts(entries)).toEqual({ registered: 1, confirmed: 1, withdrawn: 1 });
});
