import { useCallback, useEffect, useRef, useState } from 'react';

import { apiFetch } from '@/lib/api';
import type { Problem } from '@/lib/problem';

export interface PublicData<T> {
  data: T | undefined;
  problem: Problem | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/** A public (no sign-in) read, with a `reload` for when the live stream says something changed. */
export function usePublic<T>(path: string | null): PublicData<T> {
  const [state, setState] = useState<{ data: T | undefined; problem: Problem | null; loading: boolean }>({
    data: undefined,
    problem: null,
    loading: path !== null,
  });
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    if (path === null) return;
    const result = await apiFetch<T>(path);
    if (current.current !== path) return;
    setState(result.ok ? { data: result.data, problem: null, loading: false } : { data: undefined, problem: result.problem, loading: false });
  }, [path]);

  useEffect(() => {
    setState((s) => ({ ...s, loading: path !== null }));
    void reload();
  }, [path, reload]);

  return { ...state, reload };
}
