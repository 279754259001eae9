/**
 * Public data (no sign-in: the results pages, the venue board, the home page's events) through
 * TanStack Query. These pages live outside the console's and the tablet app's query clients, so
 * they share one of their own: what one public page read, the next shows at once while it asks
 * again.
 */

import { QueryClient, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';

import type { Problem } from '@/lib/problem';

import { problemOf } from './client';

export const publicQueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 404 (not public yet) is an answer, not a glitch: say so at once instead of retrying.
      retry: false,
      // The live stream says when results change (`reload`); a venue screen has no focus to regain.
      refetchOnWindowFocus: false,
    },
  },
});

export interface PublicData<T> {
  /** The last answer, or `undefined` while none has come or when the last read failed. */
  data: T | undefined;
  problem: Problem | null;
  /** Nothing to show yet: the first read is under way. */
  loading: boolean;
  /** Reads again (the live stream says something changed); resolves once the answer is in. */
  reload: () => Promise<void>;
}

/** A public read, keyed by `queryKey`. */
export function usePublicQuery<T>(queryKey: readonly unknown[], queryFn: () => Promise<T>): PublicData<T> {
  const query = useQuery({ queryKey, queryFn }, publicQueryClient);
  const { refetch } = query;
  const reload = useCallback(async () => {
    await refetch();
  }, [refetch]);
  const failed = query.status === 'error';
  return {
    // A failed read shows no older answer: a skill taken back from the public is gone.
    data: failed ? undefined : query.data,
    problem: failed ? problemOf(query.error) : null,
    loading: query.isPending,
    reload,
  };
}
