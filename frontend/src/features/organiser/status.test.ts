import { describe, expect, it } from 'vitest';

import { EVENT_STATUSES, nextStatus } from './status';

describe('nextStatus', () => {
  it('moves one step forward and stops at final', () => {
    expect(nextStatus('setup')).toBe('registration');
    expect(nextStatus('marking_closed')).toBe('results_published');
    expect(nextStatus('final')).toBeNull();
    expect(EVENT_STATUSES).toHaveLength(6);
  });
});
