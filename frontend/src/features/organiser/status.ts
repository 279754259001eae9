import type { EventStatus } from '@/lib/api/queries';

/** An event's statuses in order; it only moves forward, one step at a time. */
export const EVENT_STATUSES: readonly EventStatus[] = [
  'setup',
  'registration',
  'competition',
  'marking_closed',
  'results_published',
  'final',
];

/** The status after `status`, or `null` for the last one. */
export function nextStatus(status: EventStatus): EventStatus | null {
  const index = EVENT_STATUSES.indexOf(status);
  return EVENT_STATUSES[index + 1] ?? null;
}
