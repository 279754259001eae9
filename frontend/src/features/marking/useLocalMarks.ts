import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import type { LocalMark } from './model';
import { allMarks, onMarksChanged, putMarks } from './store';
import { onSyncStatus, syncStatus } from './sync';

/** Merges changed records into a list by client id (the change wins). */
export function mergeMarks(marks: readonly LocalMark[], updates: readonly LocalMark[]): LocalMark[] {
  const byId = new Map(marks.map((m) => [m.clientId, m]));
  for (const u of updates) byId.set(u.clientId, u);
  return [...byId.values()];
}

/**
 * Every mark this tablet holds for the user, re-read whenever the store changes, and `save`,
 * which shows a change at once and writes it to IndexedDB behind it (a tap answers in the next
 * frame, not after the database).
 */
export function useLocalMarks(userId: string | undefined): {
  marks: LocalMark[];
  loaded: boolean;
  save: (updates: LocalMark[]) => Promise<void>;
} {
  const [state, setState] = useState<{ marks: LocalMark[]; loaded: boolean }>({ marks: [], loaded: false });
  // Writes of this hook's own `save`, whose change the state already has: the store's notice of
  // them needs no re-read (and no second render of the whole app per tap).
  const ownWrites = useRef(0);
  useEffect(() => {
    if (userId === undefined) return;
    let active = true;
    const read = () => {
      if (ownWrites.current > 0) {
        ownWrites.current -= 1;
        return;
      }
      void allMarks(userId).then((marks) => {
        if (active) setState({ marks, loaded: true });
      });
    };
    read();
    const stop = onMarksChanged(read);
    return () => {
      active = false;
      stop();
    };
  }, [userId]);
  const save = useCallback(async (updates: LocalMark[]) => {
    if (updates.length === 0) return;
    setState((current) => ({ ...current, marks: mergeMarks(current.marks, updates) }));
    // `putMarks` notifies once, at its end, when the write succeeded.
    ownWrites.current += 1;
    try {
      await putMarks(updates);
    } catch (error) {
      ownWrites.current -= 1;
      throw error;
    }
  }, []);
  return { ...state, save };
}

function subscribeOnline(callback: () => void): () => void {
  window.addEventListener('online', callback);
  window.addEventListener('offline', callback);
  return () => {
    window.removeEventListener('online', callback);
    window.removeEventListener('offline', callback);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}

export function useSyncStatus() {
  return useSyncExternalStore(onSyncStatus, syncStatus, syncStatus);
}
