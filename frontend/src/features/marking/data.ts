/**
 * What the marking screens read, network first with the tablet's copy as the fallback: every
 * successful read is kept in IndexedDB, and a read that gets no answer (offline) is served from
 * there. Problems the server reports (403, 404…) are not hidden by old copies.
 */

import { useQuery, useQueryClient } from '@tanstack/react-query';

import { fetchAllEntries, type Entry, type Event, type Schemas, type Skill, type User } from '@/lib/api/queries';
import { ProblemError, unwrap, useApi, type ApiClient } from '@/lib/api/client';

import { awaitsOtherJudges, type AspectMarks, type Group } from './model';
import { cacheGet, cachePut } from './store';

export type SchemeDocument = Schemas['SchemeDocument'];
type EntryMarks = Schemas['EntryMarks'];

function noAnswer(error: unknown): boolean {
  return !(error instanceof ProblemError) || error.problem.status === 0;
}

/** Reads from the network and keeps a copy; without an answer, the copy (if any). */
export async function networkFirst<T>(cacheKey: string, read: () => Promise<T>): Promise<T> {
  try {
    const data = await read();
    void cachePut(cacheKey, data).catch(() => undefined);
    return data;
  } catch (error) {
    if (noAnswer(error)) {
      const copy = await cacheGet<T>(cacheKey).catch(() => undefined);
      if (copy !== undefined) return copy;
    }
    throw error;
  }
}

export const LAST_USER_KEY = 'me';

export function useMarkingMe() {
  const client = useApi();
  return useQuery({
    queryKey: ['marking', 'me'],
    queryFn: () => networkFirst<User>(LAST_USER_KEY, () => unwrap(client.GET('/api/v1/me'))),
  });
}

export interface SkillContext {
  skill: Skill;
  event: Event;
}

/** The skills the person marks in (expert or chief expert roles), with their events. */
export async function fetchMySkills(client: ApiClient, skillIds: readonly string[]): Promise<SkillContext[]> {
  const events = await unwrap(client.GET('/api/v1/events'));
  const out: SkillContext[] = [];
  for (const event of events) {
    const skills = await unwrap(client.GET('/api/v1/events/{id}/skills', { params: { path: { id: event.id } } }));
    for (const skill of skills) if (skillIds.includes(skill.id)) out.push({ skill, event });
  }
  return out;
}

export function useMySkills(userId: string | undefined, skillIds: readonly string[]) {
  const client = useApi();
  return useQuery({
    queryKey: ['marking', 'skills', userId, skillIds],
    enabled: userId !== undefined,
    queryFn: () => networkFirst(`${userId}:skills`, () => fetchMySkills(client, skillIds)),
  });
}

export function useScheme(userId: string, skillId: string) {
  const client = useApi();
  return useQuery({
    queryKey: ['marking', 'scheme', skillId],
    queryFn: () =>
      networkFirst(`${userId}:scheme:${skillId}`, () =>
        unwrap(client.GET('/api/v1/skills/{id}/scheme', { params: { path: { id: skillId } } })),
      ),
  });
}

export function useGroups(userId: string, skillId: string) {
  const client = useApi();
  return useQuery({
    queryKey: ['marking', 'groups', skillId],
    queryFn: () =>
      networkFirst<Group[]>(`${userId}:groups:${skillId}`, () =>
        unwrap(client.GET('/api/v1/skills/{id}/groups', { params: { path: { id: skillId } } })),
      ),
  });
}

export function useSkillEntries(userId: string, eventId: string, skillId: string) {
  const client = useApi();
  return useQuery({
    queryKey: ['marking', 'entries', skillId],
    queryFn: () =>
      networkFirst<Entry[]>(`${userId}:entries:${skillId}`, () =>
        fetchAllEntries(client, eventId, { skill_id: skillId, status: 'confirmed' }),
      ),
  });
}

export const marksKey = (entryId: string) => ['marking', 'marks', entryId] as const;

export function fetchEntryMarks(client: ApiClient, userId: string, entryId: string) {
  return networkFirst<AspectMarks[]>(`${userId}:marks:${entryId}`, () =>
    unwrap(client.GET('/api/v1/entries/{id}/marks', { params: { path: { id: entryId } } })),
  );
}

/** How often an open entry's marks are read again while its judges' scores are still coming in. */
const JUDGES_POLL_MS = 10_000;

/**
 * One entry's marks. With `maxSpread`, they are read again every few seconds while a
 * score of this judge waits for the other judges or is out of spread.
 */
export function useEntryMarks(userId: string, entryId: string, enabled = true, maxSpread?: number) {
  const client = useApi();
  return useQuery({
    queryKey: marksKey(entryId),
    enabled,
    queryFn: () => fetchEntryMarks(client, userId, entryId),
    // Offline a read falls back to the tablet's copy; polling on keeps it going once the network returns.
    refetchInterval: (query) =>
      maxSpread !== undefined && awaitsOtherJudges(query.state.data, userId, maxSpread) ? JUDGES_POLL_MS : false,
  });
}

export const skillMarksKey = (skillId: string) => ['marking', 'skill-marks', skillId] as const;

/**
 * Every entry's marks the expert may see in a skill, in one request (`GET /skills/{id}/marks`;
 * the entries of their own delegation are left out by the server), by entry id. Each entry's
 * share is kept as that entry's marks too (in memory and on the tablet), so that any entry opens
 * at once and the whole skill can be marked offline afterwards.
 */
export function useSkillMarks(userId: string, skillId: string) {
  const client = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: skillMarksKey(skillId),
    queryFn: async () => {
      const all = await networkFirst<EntryMarks[]>(`${userId}:skill-marks:${skillId}`, () =>
        unwrap(client.GET('/api/v1/skills/{id}/marks', { params: { path: { id: skillId } } })),
      );
      const byEntry = new Map<string, AspectMarks[]>();
      for (const { entry_id, aspects } of all) {
        byEntry.set(entry_id, aspects);
        queryClient.setQueryData(marksKey(entry_id), aspects);
        void cachePut(`${userId}:marks:${entry_id}`, aspects).catch(() => undefined);
      }
      return byEntry;
    },
  });
}
