/** For tests of the selection lists: one line of a squad or team list, as told over a default. */

import type { components } from '@/api/schema';

type ListLine = components['schemas']['ListLine'];

/** A line for 刘敏 of Tianjin (TJ), rank 1 in skill 01 with 720.00, not under review; `over` changes any field. */
export function listLine(over: Partial<ListLine> = {}): ListLine {
  return {
    competitors: ['刘敏'],
    delegation_code: 'TJ',
    delegation_name_en: 'Tianjin',
    delegation_name_zh: '天津',
    entry_id: 'e1',
    rank: 1,
    skill_name_en: 'Mechatronics',
    skill_name_zh: '综合机械与自动化',
    skill_number: '01',
    standing: '720.00',
    under_review: false,
    ...over,
  };
}
