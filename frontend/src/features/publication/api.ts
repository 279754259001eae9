/**
 * The publication screens' server state: result statuses, the live draft, rules, disputes, the
 * mail report; and the files (exports, PDFs) they download (`lib/files.ts`).
 */

import { useApiQuery, type ApiClient } from '@/lib/api/client';
import { fetchFile, type ExportFormat } from '@/lib/files';

export const publicationKeys = {
  statuses: (eventId: string) => ['events', eventId, 'result-statuses'] as const,
  rules: (eventId: string) => ['events', eventId, 'result-rules'] as const,
  disputes: (eventId: string) => ['events', eventId, 'disputes'] as const,
  mail: (eventId: string) => ['events', eventId, 'result-mail'] as const,
  draft: (skillId: string) => ['skills', skillId, 'results-draft'] as const,
  entryResult: (entryId: string) => ['entries', entryId, 'result'] as const,
};

export function useStatuses(eventId: string) {
  return useApiQuery(
    publicationKeys.statuses(eventId),
    (client) => client.GET('/api/v1/events/{id}/results', { params: { path: { id: eventId } } }),
    // Others change it (chief experts ratify, the worker releases what was scheduled, notice
    // periods end): read it afresh on every visit and every minute.
    { staleTime: 0, refetchInterval: 60_000 },
  );
}

export function useDisputes(eventId: string) {
  return useApiQuery(
    publicationKeys.disputes(eventId),
    (client) => client.GET('/api/v1/events/{id}/disputes', { params: { path: { id: eventId } } }),
    // Team leaders file them at any moment.
    { staleTime: 0, refetchInterval: 60_000 },
  );
}

export type ResultsExportKind = 'results' | 'best_of_delegation' | 'delegations';
export type ListExportKind = 'delegations' | 'competitors' | 'experts';

export function resultsExport(client: ApiClient, eventId: string, kind: ResultsExportKind, format: ExportFormat) {
  return fetchFile(
    client.GET('/api/v1/events/{id}/results/export', {
      params: { path: { id: eventId }, query: { kind, format } },
      parseAs: 'blob',
    }),
    `${kind}.${format}`,
  );
}

export function listExport(client: ApiClient, eventId: string, kind: ListExportKind, format: ExportFormat) {
  return fetchFile(
    client.GET('/api/v1/events/{id}/exports/{kind}', {
      params: { path: { id: eventId, kind }, query: { format } },
      parseAs: 'blob',
    }),
    `${kind}.${format}`,
  );
}

export function resultsPdf(client: ApiClient, eventId: string, kind: 'results' | 'certificates', skill?: string) {
  return fetchFile(
    client.GET('/api/v1/events/{id}/results/pdf', {
      params: { path: { id: eventId }, query: skill === undefined ? { kind } : { kind, skill } },
      parseAs: 'blob',
    }),
    `${kind}.pdf`,
  );
}
