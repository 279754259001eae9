import { describe, expect, it } from 'vitest';

import { bySkillNumber, countLines, nextSkill, parseResultsChanged, searchResults, type PublicLine, type PublicSkill } from './model';

function line(over: Partial<PublicLine>): PublicLine {
  return {
    best_of_delegation: false,
    competitors: ['Li Na'],
    delegation_code: 'SH',
    delegation_name_en: 'Shanghai',
    delegation_name_zh: '上海',
    rank: 1,
    score: 700,
    ...over,
  };
}

function skill(number: string, entries: PublicLine[]): PublicSkill {
  return { entries, final_result: false, skill_id: `id-${number}`, skill_name_en: `Skill ${number}`, skill_name_zh: `项目${number}`, skill_number: number, team: false };
}

const skills = [
  skill('10', [line({ competitors: ['张伟'], delegation_code: 'BJ', delegation_name_en: 'Beijing', delegation_name_zh: '北京' })]),
  skill('2', [line({}), line({ competitors: ['Wang Fang', 'Zhao Lei'], delegation_code: 'TJ', delegation_name_en: 'Tianjin', delegation_name_zh: '天津', rank: 2 })]),
];

describe('public results search', () => {
  it('finds names and delegations (code, English or Chinese name), ignoring case and spaces', () => {
    expect(countLines(searchResults(skills, 'li na'))).toBe(1);
    expect(searchResults(skills, 'zhao').map((s) => s.skill_number)).toEqual(['2']);
    expect(searchResults(skills, '张 伟').map((s) => s.skill_number)).toEqual(['10']);
    expect(countLines(searchResults(skills, 'tj'))).toBe(1);
    expect(countLines(searchResults(skills, '上海'))).toBe(1);
    expect(searchResults(skills, 'nobody')).toEqual([]);
    expect(searchResults(skills, '  ')).toHaveLength(2);
  });

  it('orders skills by number as people read them (2 before 10)', () => {
    expect(bySkillNumber(skills).map((s) => s.skill_number)).toEqual(['2', '10']);
  });
});

describe('live board', () => {
  it('cycles through the skills and wraps around', () => {
    const ordered = bySkillNumber(skills);
    expect(nextSkill(ordered, null)).toBe('id-2');
    expect(nextSkill(ordered, 'id-2')).toBe('id-10');
    expect(nextSkill(ordered, 'id-10')).toBe('id-2');
    expect(nextSkill([], null)).toBeNull();
  });

  it('reads the stream’s results events and ignores anything else', () => {
    expect(parseResultsChanged('{"event_id":"e","skill_id":"s","kind":"published"}')).toEqual({ event_id: 'e', skill_id: 's', kind: 'published' });
    expect(parseResultsChanged('not json')).toBeNull();
    expect(parseResultsChanged('{"kind":"published"}')).toBeNull();
  });
});
