import { describe, expect, it } from 'vitest';

import { activeWorkspace, needsLookup, workspacesFor, type ScopeLookup } from './workspaces';

const lookup: ScopeLookup = {
  eventOfSkill: new Map([['skill-17', 'event-1']]),
  eventOfDelegation: new Map([['del-bj', 'event-1']]),
};

describe('workspacesFor', () => {
  it('gives each role assignment its home, admin first, duplicates merged', () => {
    const workspaces = workspacesFor(
      [
        { id: '1', role: 'team_leader', scope_id: 'del-bj' },
        { id: '2', role: 'organiser', scope_id: 'event-2' },
        { id: '3', role: 'admin' },
        { id: '4', role: 'chief_expert', scope_id: 'skill-17', delegation_id: 'del-sh' },
        { id: '5', role: 'organiser', scope_id: 'event-2' },
      ],
      lookup,
    );
    expect(workspaces.map((w) => [w.key, w.home])).toEqual([
      ['admin:', '/events'],
      ['organiser:event-2', '/events/event-2'],
      ['chief_expert:skill-17', '/events/event-1/skills/skill-17/progress'],
      ['team_leader:del-bj', '/events/event-1/team/del-bj'],
    ]);
  });

  it('sends experts to the tablet marking app and competitors to their results', () => {
    const workspaces = workspacesFor(
      [
        { id: '1', role: 'competitor', scope_id: 'entry-1' },
        { id: '2', role: 'expert', scope_id: 'skill-17', delegation_id: 'del-bj' },
      ],
      lookup,
    );
    expect(workspaces.map((w) => [w.key, w.home])).toEqual([
      ['expert:skill-17', '/mark'],
      ['competitor:entry-1', '/my-results'],
    ]);
  });

  it('leaves out roles whose scope cannot be placed in a visible event', () => {
    const workspaces = workspacesFor([{ id: '1', role: 'team_leader', scope_id: 'del-unknown' }], lookup);
    expect(workspaces).toEqual([]);
  });
});

describe('activeWorkspace', () => {
  const all = workspacesFor(
    [
      { id: '1', role: 'organiser', scope_id: 'event-1' },
      { id: '2', role: 'chief_expert', scope_id: 'skill-17' },
      { id: '3', role: 'team_leader', scope_id: 'del-bj' },
    ],
    lookup,
  );

  it('picks the workspace owning the longest prefix of the path', () => {
    expect(activeWorkspace(all, '/events/event-1/skills/skill-17/groups', null)?.role).toBe('chief_expert');
    expect(activeWorkspace(all, '/events/event-1/team/del-bj', 'organiser:event-1')?.role).toBe('team_leader');
    expect(activeWorkspace(all, '/events/event-1/audit', 'team_leader:del-bj')?.role).toBe('organiser');
  });

  it('does not treat a longer id as a prefix match', () => {
    expect(activeWorkspace(all, '/events/event-10', 'team_leader:del-bj')?.role).toBe('team_leader');
  });

  it('falls back to the remembered workspace, then the first', () => {
    expect(activeWorkspace(all, '/account', 'chief_expert:skill-17')?.role).toBe('chief_expert');
    expect(activeWorkspace(all, '/account', 'gone')?.role).toBe('organiser');
    expect(activeWorkspace([], '/', null)).toBeNull();
  });
});

describe('needsLookup', () => {
  it('asks for skills only for chief experts and delegations only for team leaders', () => {
    expect(needsLookup([{ id: '1', role: 'organiser', scope_id: 'e' }])).toEqual({ skills: false, delegations: false });
    expect(needsLookup([{ id: '1', role: 'team_leader', scope_id: 'd' }])).toEqual({ skills: false, delegations: true });
  });
});
