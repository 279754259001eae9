/** The public reads of the results pages and the venue board, through the public client. */

import { publicClient, unwrap } from '@/lib/api/client';
import { usePublicQuery, type PublicData } from '@/lib/api/publicQuery';

import type { CeremonyView, PublicEventResults, PublicSkill, PublicTables } from './model';

export type { PublicData };

const publicKeys = {
  events: ['public', 'events'] as const,
  selection: ['public', 'selection', 'programmes'] as const,
  results: (eventId: string) => ['public', 'events', eventId, 'results'] as const,
  tables: (eventId: string) => ['public', 'events', eventId, 'tables'] as const,
  skill: (eventId: string, skillId: string) => ['public', 'events', eventId, 'skills', skillId, 'results'] as const,
  ceremony: (eventId: string, skillId: string) => ['public', 'events', eventId, 'skills', skillId, 'ceremony'] as const,
};

/** The events with published results. */
export function usePublicEvents() {
  return usePublicQuery(publicKeys.events, () => unwrap(publicClient.GET('/api/v1/public/events')));
}

/** The selection programmes with a squad or team list released to the public. */
export function usePublicProgrammes() {
  return usePublicQuery(publicKeys.selection, () => unwrap(publicClient.GET('/api/v1/public/selection/programmes')));
}

export function usePublicResults(eventId: string): PublicData<PublicEventResults> {
  return usePublicQuery(publicKeys.results(eventId), () =>
    unwrap(publicClient.GET('/api/v1/public/events/{id}/results', { params: { path: { id: eventId } } })),
  );
}

export function usePublicTables(eventId: string): PublicData<PublicTables> {
  return usePublicQuery(publicKeys.tables(eventId), () =>
    unwrap(publicClient.GET('/api/v1/public/events/{id}/tables', { params: { path: { id: eventId } } })),
  );
}

export function usePublicSkill(eventId: string, skillId: string): PublicData<PublicSkill> {
  return usePublicQuery(publicKeys.skill(eventId, skillId), () =>
    unwrap(
      publicClient.GET('/api/v1/public/events/{id}/skills/{skill}/results', { params: { path: { id: eventId, skill: skillId } } }),
    ),
  );
}

export function useCeremony(eventId: string, skillId: string): PublicData<CeremonyView> {
  return usePublicQuery(publicKeys.ceremony(eventId, skillId), () =>
    unwrap(
      publicClient.GET('/api/v1/public/events/{id}/skills/{skill}/ceremony', { params: { path: { id: eventId, skill: skillId } } }),
    ),
  );
}
