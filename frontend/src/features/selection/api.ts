/** The selection screens' server state (TanStack Query over the one API client). */

import { unwrap, useApiQuery, type ApiClient } from '@/lib/api/client';
import { fetchFile, type ExportFormat } from '@/lib/files';
import { selectionListKeys } from '@/lib/api/selectionLists';

export { useSquad, useTeam } from '@/lib/api/selectionLists';

export const selectionKeys = {
  programmes: ['selection', 'programmes'] as const,
  programme: (id: string) => ['selection', 'programmes', id] as const,
  proposal: (stageId: string, skillId: string) => ['selection', 'stages', stageId, 'skills', skillId, 'proposal'] as const,
  squad: selectionListKeys.squad,
  team: selectionListKeys.team,
  path: (entryId: string) => ['entries', entryId, 'selection-path'] as const,
};

export function useProgrammes() {
  return useApiQuery(selectionKeys.programmes, (client) => client.GET('/api/v1/selection/programmes'));
}

export function useProgramme(id: string) {
  return useApiQuery(selectionKeys.programme(id), (client) => client.GET('/api/v1/selection/programmes/{id}', { params: { path: { id } } }));
}

export function useProposal(stageId: string, skillId: string) {
  return useApiQuery(
    selectionKeys.proposal(stageId, skillId),
    (client) =>
      client.GET('/api/v1/selection/stages/{id}/skills/{skill}/proposal', {
        params: { path: { id: stageId, skill: skillId } },
      }),
    // "Not ratified" is an answer (the chief expert has not ratified yet), not a glitch.
    { retry: false, staleTime: 0 },
  );
}

export function usePath(entryId: string) {
  return useApiQuery(
    selectionKeys.path(entryId),
    (client) => client.GET('/api/v1/entries/{id}/selection-path', { params: { path: { id: entryId } } }),
    { retry: false },
  );
}

/** The team list as CSV, XLSX or the printable PDF. */
export function teamExport(client: ApiClient, programmeId: string, format: ExportFormat | 'pdf') {
  return fetchFile(
    client.GET('/api/v1/selection/programmes/{id}/team/export', {
      params: { path: { id: programmeId }, query: { format } },
      parseAs: 'blob',
    }),
    `national-team.${format}`,
  );
}

/** Whom a squad or team list is released to. */
export type ReleaseAudience = 'delegations' | 'public';

/** Releases a stage's squad list to `audience`. */
export function releaseSquad(client: ApiClient, stageId: string, audience: ReleaseAudience) {
  return unwrap(client.POST('/api/v1/selection/stages/{id}/release', { params: { path: { id: stageId } }, body: { audience } }));
}

/** Releases the national team list to `audience`. */
export function releaseTeam(client: ApiClient, programmeId: string, audience: ReleaseAudience) {
  return unwrap(client.POST('/api/v1/selection/programmes/{id}/team/release', { params: { path: { id: programmeId } }, body: { audience } }));
}
