/**
 * The selection programme's squad and team lists as several features read them (the organiser's
 * programme page, the team leader's selection screen): their query keys and hooks.
 */

import { useApiQuery } from './client';

export const selectionListKeys = {
  squad: (stageId: string) => ['selection', 'stages', stageId, 'squad'] as const,
  team: (programmeId: string) => ['selection', 'programmes', programmeId, 'team'] as const,
  released: ['selection', 'released'] as const,
};

/** Who advanced from a stage: organisers always, others once released to them. */
export function useSquad(stageId: string) {
  return useApiQuery(selectionListKeys.squad(stageId), (client) =>
    client.GET('/api/v1/selection/stages/{id}/squad', { params: { path: { id: stageId } } }),
  );
}

/** The national team: organisers always, others once released to them. */
export function useTeam(programmeId: string) {
  return useApiQuery(selectionListKeys.team(programmeId), (client) =>
    client.GET('/api/v1/selection/programmes/{id}/team', { params: { path: { id: programmeId } } }),
  );
}

/** The programmes with a squad or team list released to the signed-in person. */
export function useReleasedLists() {
  return useApiQuery(selectionListKeys.released, (client) => client.GET('/api/v1/selection/released'));
}
