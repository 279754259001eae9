/**
 * Sends the tablet's queue (`pending` marks in IndexedDB) to the server, entry by entry, whenever
 * it can: at start, after the expert confirms an entry, when the browser comes back online, and
 * every few seconds while something is queued. Each mark keeps its client id across retries, so a
 * batch whose answer was lost is sent again without effect (`unchanged`).
 */

import type { ApiClient } from '@/lib/api/client';
import { ProblemError, unwrap } from '@/lib/api/client';

import { applyResult, chainAfterSave, nextBatch, toInput, type LocalMark } from './model';
import { marksInState, putMarks } from './store';

export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'error';

export interface SyncStatus {
  phase: SyncPhase;
  /** Problem detail of the last failure (server error), if any. */
  detail: string;
  lastSyncedAt: number | null;
}

let status: SyncStatus = { phase: 'idle', detail: '', lastSyncedAt: null };
const listeners = new Set<() => void>();

function setStatus(next: Partial<SyncStatus>): void {
  status = { ...status, ...next };
  for (const l of listeners) l();
}

export function syncStatus(): SyncStatus {
  return status;
}

export function onSyncStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Problems that will not go away by sending the same batch again: the marks are refused. */
function refusesBatch(status: number): boolean {
  return status === 403 || status === 404 || status === 409 || status === 422;
}

let running: Promise<void> | null = null;
let again = false;

/** Sends what is queued for `userId`; concurrent calls share one run (and trigger one more). */
export function syncNow(client: ApiClient, userId: string, onSaved?: (entryIds: string[]) => void): Promise<void> {
  if (running !== null) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        const saved = await syncOnce(client, userId);
        if (saved.length > 0) onSaved?.(saved);
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function syncOnce(client: ApiClient, userId: string): Promise<string[]> {
  const queued = (await marksInState('pending')).filter((m) => m.userId === userId);
  if (queued.length === 0) {
    setStatus({ phase: 'idle', detail: '' });
    return [];
  }
  setStatus({ phase: 'syncing' });
  const entries = [...new Set(queued.map((m) => m.entryId))];
  const touched: string[] = [];
  for (const entryId of entries) {
    for (;;) {
      const pending = (await marksInState('pending')).filter((m) => m.userId === userId && m.entryId === entryId);
      const batch = nextBatch(pending);
      if (batch.length === 0) break;
      let results;
      try {
        results = await unwrap(
          client.POST('/api/v1/entries/{id}/marks', {
            params: { path: { id: entryId } },
            body: { marks: batch.map(toInput) },
          }),
        );
      } catch (error) {
        const problem = error instanceof ProblemError ? error.problem : null;
        if (problem !== null && refusesBatch(problem.status)) {
          await putMarks(batch.map((m) => ({ ...m, state: 'rejected', reason: problem.detail || problem.title })));
          touched.push(entryId);
          break;
        }
        // No answer (offline), signed out, or a server failure: keep the queue, try again later.
        const offline = problem === null || problem.status === 0;
        setStatus({ phase: offline ? 'offline' : 'error', detail: problem?.detail ?? '' });
        return touched;
      }
      const updates: LocalMark[] = [];
      const all = (await marksInState('pending')).filter((m) => m.userId === userId && m.entryId === entryId);
      for (const mark of batch) {
        const result = results.results.find((r) => r.client_id === mark.clientId);
        if (result === undefined) continue;
        const next = applyResult(mark, result);
        updates.push(next);
        if (next.state === 'saved') updates.push(...chainAfterSave(all, next));
      }
      await putMarks(updates);
      touched.push(entryId);
      // An answer that names none of the marks sent: stop rather than send them again and again.
      if (updates.length === 0) break;
    }
  }
  setStatus({ phase: 'idle', detail: '', lastSyncedAt: Date.now() });
  return touched;
}
