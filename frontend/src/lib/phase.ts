/** Where a skill's results stand, in one word: what the publication screens and the dashboards show. */

import type { Schemas } from '@/lib/api/queries';

type SkillStatus = Schemas['SkillStatus'];

/**
 * One word for where a skill's results are: still a draft, ratified (frozen, not released),
 * released to experts / delegations / the public, or final (public and the notice period over).
 */
export type Phase = 'draft' | 'ratified' | 'experts' | 'delegations' | 'public' | 'final';

export function phaseOf(status: Pick<SkillStatus, 'state' | 'audience'>): Phase {
  switch (status.state) {
    case 'draft':
      return 'draft';
    case 'final':
      return 'final';
    case 'ratified':
      return 'ratified';
    case 'published':
      return status.audience === 'none' ? 'ratified' : status.audience;
  }
}
