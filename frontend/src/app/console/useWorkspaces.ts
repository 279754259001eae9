import { useQueries } from '@tanstack/react-query';

import { fetchDelegations, fetchSkills, queryKeys, useApi, useEvents, useMe } from '@/lib/api/queries';

import { needsLookup, workspacesFor, type ScopeLookup } from './workspaces';

/**
 * The signed-in person's workspaces. Team leaders' and chief experts' roles
 * name a delegation or skill; the events they belong to are looked up among
 * the events the person can see.
 */
export function useWorkspaces() {
  const client = useApi();
  const me = useMe();
  const events = useEvents();
  const roles = me.data?.roles ?? [];
  const needs = needsLookup(roles);
  const eventIds = (events.data ?? []).map((e) => e.id);

  const skills = useQueries({
    queries: (needs.skills ? eventIds : []).map((id) => ({
      queryKey: queryKeys.skills(id),
      queryFn: () => fetchSkills(client, id),
    })),
  });
  const delegations = useQueries({
    queries: (needs.delegations ? eventIds : []).map((id) => ({
      queryKey: queryKeys.delegations(id),
      queryFn: () => fetchDelegations(client, id),
    })),
  });

  const lookupsPending = skills.some((q) => q.isPending) || delegations.some((q) => q.isPending);
  // Cheap to compute (a few roles), so it is recomputed on each render rather than memoised.
  const lookup: ScopeLookup = {
    eventOfSkill: new Map(skills.flatMap((q) => (q.data ?? []).map((s) => [s.id, s.event_id] as const))),
    eventOfDelegation: new Map(delegations.flatMap((q) => (q.data ?? []).map((d) => [d.id, d.event_id] as const))),
  };
  const workspaces = workspacesFor(roles, lookup);

  return {
    me,
    events,
    workspaces,
    pending: me.isPending || events.isPending || lookupsPending,
    error: me.error ?? events.error,
  };
}
