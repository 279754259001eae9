/**
 * The tablet's IndexedDB: every mark entered on it (drafts, the queue and what was saved, by client
 * id) and a copy of what the marking screens last read from the server (the signed-in person, the
 * skill, its scheme and groups, the entries and their marks), so the app opens and marks without
 * a network. Nothing here is lost by closing the tab or restarting the tablet.
 */

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

import type { LocalMark } from './model';

interface MarkingDb extends DBSchema {
  marks: {
    key: string;
    value: LocalMark;
    indexes: { byEntry: string; byState: string };
  };
  cache: {
    key: string;
    value: { key: string; data: unknown; at: number };
  };
}

const DB_NAME = 'skillmark-marking';

let dbPromise: Promise<IDBPDatabase<MarkingDb>> | null = null;

function db(): Promise<IDBPDatabase<MarkingDb>> {
  dbPromise ??= openDB<MarkingDb>(DB_NAME, 1, {
    upgrade(database) {
      const marks = database.createObjectStore('marks', { keyPath: 'clientId' });
      marks.createIndex('byEntry', 'entryId');
      marks.createIndex('byState', 'state');
      database.createObjectStore('cache', { keyPath: 'key' });
    },
  });
  return dbPromise;
}

export async function putMarks(marks: readonly LocalMark[]): Promise<void> {
  if (marks.length === 0) return;
  const tx = (await db()).transaction('marks', 'readwrite');
  await Promise.all([...marks.map((m) => tx.store.put(m)), tx.done]);
  notify();
}

export async function deleteMark(clientId: string): Promise<void> {
  await (await db()).delete('marks', clientId);
  notify();
}

export async function marksOfEntry(entryId: string, userId: string): Promise<LocalMark[]> {
  const all = await (await db()).getAllFromIndex('marks', 'byEntry', entryId);
  return all.filter((m) => m.userId === userId);
}

export async function allMarks(userId: string): Promise<LocalMark[]> {
  const all = await (await db()).getAll('marks');
  return all.filter((m) => m.userId === userId);
}

export async function marksInState(state: LocalMark['state']): Promise<LocalMark[]> {
  return (await db()).getAllFromIndex('marks', 'byState', state);
}

export async function cacheGet<T>(key: string): Promise<T | undefined> {
  const row = await (await db()).get('cache', key);
  return row?.data as T | undefined;
}

export async function cachePut(key: string, data: unknown): Promise<void> {
  await (await db()).put('cache', { key, data, at: Date.now() });
}

export async function cacheDelete(key: string): Promise<void> {
  await (await db()).delete('cache', key);
}

// Screens re-read the store when it changes (this tab's writes).
const listeners = new Set<() => void>();

export function onMarksChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
