/**
 * Query hooks for the resources several features read (the signed-in user,
 * events, skills, delegations, entries, experts). Each feature keeps its own
 * writes next to its screens; these keys are what they invalidate.
 */

import { useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { unwrap, useApi, useApiQuery, type ApiClient } from './client';

export { useApi };

export type Schemas = components['schemas'];
export type Event = Schemas['Event'];
export type Skill = Schemas['Skill'];
export type Delegation = Schemas['Delegation'];
export type Entry = Schemas['Entry'];
export type Competitor = Schemas['Competitor'];
export type Expert = Schemas['Expert'];
export type User = Schemas['User'];
export type EventStatus = Schemas['EventStatus'];
export type SkillDashboard = Schemas['SkillDashboard'];
export type MarkingProgress = Schemas['MarkingProgress'];

export const queryKeys = {
  me: ['me'] as const,
  events: ['events'] as const,
  event: (id: string) => ['events', id] as const,
  skills: (eventId: string) => ['events', eventId, 'skills'] as const,
  delegations: (eventId: string) => ['events', eventId, 'delegations'] as const,
  experts: (eventId: string) => ['events', eventId, 'experts'] as const,
  entries: (eventId: string, filter: EntryFilter = {}) => ['events', eventId, 'entries', filter] as const,
  allEntries: (eventId: string) => ['events', eventId, 'entries'] as const,
  audit: (filter: object) => ['audit', filter] as const,
  skill: (skillId: string, part: string) => ['skills', skillId, part] as const,
};

export interface EntryFilter {
  skill_id?: string;
  delegation_id?: string;
  status?: Schemas['EntryStatus'];
}

export function useMe() {
  return useApiQuery(queryKeys.me, (client) => client.GET('/api/v1/me'));
}

/** Whether the signed-in person is an administrator or an organiser (false until `useMe` has answered). */
export function useOrganises(): boolean {
  const me = useMe();
  return me.data?.roles.some((r) => r.role === 'admin' || r.role === 'organiser') === true;
}

export function useEvents() {
  return useApiQuery(queryKeys.events, (client) => client.GET('/api/v1/events'));
}

export function useEvent(id: string) {
  return useApiQuery(queryKeys.event(id), (client) => client.GET('/api/v1/events/{id}', { params: { path: { id } } }));
}

export function fetchSkills(client: ApiClient, eventId: string) {
  return unwrap(client.GET('/api/v1/events/{id}/skills', { params: { path: { id: eventId } } }));
}

export function fetchDelegations(client: ApiClient, eventId: string) {
  return unwrap(client.GET('/api/v1/events/{id}/delegations', { params: { path: { id: eventId } } }));
}

export function useSkills(eventId: string) {
  const client = useApi();
  return useQuery({ queryKey: queryKeys.skills(eventId), queryFn: () => fetchSkills(client, eventId) });
}

export function useDelegations(eventId: string) {
  const client = useApi();
  return useQuery({ queryKey: queryKeys.delegations(eventId), queryFn: () => fetchDelegations(client, eventId) });
}

export function useExperts(eventId: string) {
  return useApiQuery(queryKeys.experts(eventId), (client) =>
    client.GET('/api/v1/events/{id}/experts', { params: { path: { id: eventId } } }),
  );
}

/** Per skill: how far marking has got and where its results stand (organisers). */
export function useDashboard(eventId: string) {
  return useApiQuery(['events', eventId, 'dashboard'] as const, (client) =>
    client.GET('/api/v1/events/{id}/dashboard', { params: { path: { id: eventId } } }),
  );
}

/** The server's largest page. */
export const MAX_PER_PAGE = 500;

/**
 * Every entry matching `filter`, read page by page (the server pages at most
 * 500): a whole event (~3,000 entries) is a handful of requests, after which
 * searching and sorting happen in memory without a round trip per keystroke.
 */
export async function fetchAllEntries(client: ApiClient, eventId: string, filter: EntryFilter = {}): Promise<Entry[]> {
  const items: Entry[] = [];
  for (let page = 1; ; page += 1) {
    const result = await unwrap(
      client.GET('/api/v1/events/{id}/entries', {
        params: { path: { id: eventId }, query: { ...filter, page, per_page: MAX_PER_PAGE } },
      }),
    );
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total) return items;
  }
}

export function useAllEntries(eventId: string, filter: EntryFilter = {}) {
  const client = useApi();
  return useQuery({
    queryKey: queryKeys.entries(eventId, filter),
    queryFn: () => fetchAllEntries(client, eventId, filter),
  });
}
