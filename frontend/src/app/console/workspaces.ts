/**
 * Workspaces: what a signed-in person can switch between. One per role
 * assignment the console serves (an organiser of two events has two), each
 * with the path of its home screen and the path prefix it owns.
 */

import type { components } from '@/api/schema';

type RoleAssignment = components['schemas']['RoleAssignment'];
type Role = components['schemas']['Role'];

export interface Workspace {
  /** Stable identity, e.g. `team_leader:<delegation id>`. */
  key: string;
  role: Role;
  /** The event the workspace belongs to (null for the administrator's and unresolved ones). */
  eventId: string | null;
  /** The role's scope: event, skill, delegation or entry id; null for admin. */
  scopeId: string | null;
  /** Where the workspace starts. */
  home: string;
  /** Paths under this prefix belong to the workspace. */
  base: string;
}

export interface ScopeLookup {
  /** Event id of a skill id. */
  eventOfSkill: ReadonlyMap<string, string>;
  /** Event id of a delegation id. */
  eventOfDelegation: ReadonlyMap<string, string>;
}

const ORDER: readonly Role[] = ['admin', 'organiser', 'chief_expert', 'team_leader', 'expert', 'competitor'];

/** The workspaces of a person's roles, in a stable order (admin first). Duplicates are merged. */
export function workspacesFor(roles: readonly RoleAssignment[], lookup: ScopeLookup): Workspace[] {
  const result: Workspace[] = [];
  const seen = new Set<string>();
  const sorted = [...roles].sort(
    (a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role) || (a.scope_id ?? '').localeCompare(b.scope_id ?? ''),
  );
  for (const role of sorted) {
    const scope = role.scope_id ?? null;
    const key = `${role.role}:${scope ?? ''}`;
    if (seen.has(key)) continue;
    const workspace = workspaceOf(role.role, scope, lookup);
    if (workspace === null) continue;
    seen.add(key);
    result.push({ key, ...workspace });
  }
  return result;
}

function workspaceOf(role: Role, scope: string | null, lookup: ScopeLookup): Omit<Workspace, 'key'> | null {
  switch (role) {
    case 'admin':
      return { role, eventId: null, scopeId: null, home: '/events', base: '/events' };
    case 'organiser':
      if (scope === null) return null;
      return { role, eventId: scope, scopeId: scope, home: `/events/${scope}`, base: `/events/${scope}` };
    case 'team_leader': {
      const eventId = scope === null ? undefined : lookup.eventOfDelegation.get(scope);
      if (scope === null || eventId === undefined) return null;
      const base = `/events/${eventId}/team/${scope}`;
      return { role, eventId, scopeId: scope, home: base, base };
    }
    case 'chief_expert': {
      const eventId = scope === null ? undefined : lookup.eventOfSkill.get(scope);
      if (scope === null || eventId === undefined) return null;
      const base = `/events/${eventId}/skills/${scope}`;
      return { role, eventId, scopeId: scope, home: `${base}/progress`, base };
    }
    case 'expert':
      // The tablet marking app and the competitor's results are separate apps outside the console.
      return { role, eventId: null, scopeId: scope, home: '/mark', base: '/mark' };
    case 'competitor':
      return { role, eventId: null, scopeId: scope, home: '/my-results', base: '/my-results' };
  }
}

function isUnder(path: string, base: string): boolean {
  return path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/**
 * The workspace a path belongs to: the one owning the longest prefix of it;
 * among equals, the remembered one; otherwise the remembered one, then the first.
 */
export function activeWorkspace(
  workspaces: readonly Workspace[],
  path: string,
  rememberedKey: string | null,
): Workspace | null {
  let best: Workspace | null = null;
  for (const workspace of workspaces) {
    if (!isUnder(path, workspace.base)) continue;
    if (
      best === null ||
      workspace.base.length > best.base.length ||
      (workspace.base.length === best.base.length && workspace.key === rememberedKey)
    ) {
      best = workspace;
    }
  }
  return best ?? workspaces.find((w) => w.key === rememberedKey) ?? workspaces[0] ?? null;
}

/** Which of the loaded events' skills and delegations are needed to place the roles. */
export function needsLookup(roles: readonly RoleAssignment[]): { skills: boolean; delegations: boolean } {
  return {
    skills: roles.some((r) => r.role === 'chief_expert'),
    delegations: roles.some((r) => r.role === 'team_leader'),
  };
}
