/**
 * The marking session every tablet screen reads: who is marking, the marks on the tablet and their
 * queue, the expert's skills; and, per skill, what the expert marks there (`useSkillSetup`).
 * Provided by `MarkingApp`; the screens (`EntryList`, `MarkEntry`, `ChiefFloor`) import it from
 * here, not from the app, so the app and its screens do not import each other.
 */

import { createContext, useContext, useMemo } from 'react';

import type { User } from '@/lib/api/queries';

import { useGroups, useScheme, useSkillEntries, type SkillContext } from './data';
import { aspectsToMark, subCriteriaOf, type AspectView, type LocalMark } from './model';

export interface MarkingSession {
  me: User;
  /** Whether requests can be made now (signed in); offline the app works from its copy. */
  signedIn: boolean;
  marks: LocalMark[];
  /** Keeps changed marks: shown at once, written to the tablet's database behind. */
  save: (updates: LocalMark[]) => Promise<void>;
  skills: SkillContext[];
  /** Sends the queue now (if signed in). */
  sync: () => void;
}

export const SessionContext = createContext<MarkingSession | null>(null);

export function useMarkingSession(): MarkingSession {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useMarkingSession outside the marking app');
  return session;
}

export function useSkillSetup(skillId: string) {
  const session = useMarkingSession();
  const userId = session.me.id;
  const context = session.skills.find((s) => s.skill.id === skillId);
  const scheme = useScheme(userId, skillId);
  const groups = useGroups(userId, skillId);
  const entries = useSkillEntries(userId, context?.event.id ?? '', skillId);
  // Worked out once per scheme and groups, not on every tap (each tap renders the marking screen).
  const { aspects, inGroup } = useMemo(() => {
    const subs = subCriteriaOf(groups.data ?? [], userId);
    const list: AspectView[] = scheme.data === undefined ? [] : aspectsToMark(scheme.data.scheme, subs);
    return { aspects: list, inGroup: subs.size > 0 };
  }, [scheme.data, groups.data, userId]);
  return { session, userId, context, scheme, groups, entries, aspects, inGroup };
}
