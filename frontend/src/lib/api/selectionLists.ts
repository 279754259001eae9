/**
 * The selection programme's squad and team lists as several features read them (the organiser's
 * programme page, the team leader's selection screen): their query keys and hooks.
 */

import { useQuery } from '@tanstack/react-query';

import { unwrap, useApi } from './client';

export const selectionListKeys = {
  squad: (stageId: string) => ['selection', 'stages', stageId, 'squad'] as const,
  team: (programmeId: string) => ['selection', 'programmes', programmeId, 'team'] as const,
  released: ['selection', 'released'] as const,
};

/** Who advanced from a stage: organisers always, others once released to them. */
export function useSquad(stageId: string) {
  const client = useApi();
  return useQuery({
    queryKey: selectionListKeys.squad(stageId),
    queryFn: () => unwrap(client.GET('/api/v1/selection/stages/{id}/squad', { params: { path: { id: stageId } } })),
  });
}

/** The national team: organisers always, others once released to them. */
export function useTeam(programmeId: string) {
  const client = useApi();
  return useQuery({
    queryKey: selectionListKeys.team(programmeId),
    queryFn: () => unwrap(client.GET('/api/v1/selection/programmes/{id}/team', { params: { path: { id: programmeId } } })),
  });
}

/** The programmes with a squad or team list released to the signed-in person. */
export function useReleasedLists() {
  const client = useApi();
  return useQuery({
    queryKey: selectionListKeys.released,
    queryFn: () => unwrap(client.GET('/api/v1/selection/released')),
  });
}
