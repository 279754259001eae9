import { useEffect, useState, useSyncExternalStore } from 'react';

import type { LocalMark } from './model';
import { allMarks, onMarksChanged } from './store';
import { onSyncStatus, syncStatus } from './sync';

/** Every mark this tablet holds for the user, re-read whenever the store changes. */
export function useLocalMarks(userId: string | undefined): { marks: LocalMark[]; loaded: boolean } {
  const [state, setState] = useState<{ marks: LocalMark[]; loaded: boolean }>({ marks: [], loaded: false });
  useEffect(() => {
    if (userId === undefined) return;
    let active = true;
    const read = () => {
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
  return state;
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
