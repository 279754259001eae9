import { describe, expect, it } from 'vitest';

import type { Delegation, Entry, Skill } from '@/lib/api/queries';

import { competitorRows, normalise, queryRows, type TableQuery } from './competitorTable';

const skill = (id: string, number: string): Skill => ({
  id,
  event_id: 'e',
  number,
  name_zh: `项目${number}`,
  name_en: `Skill ${number}`,
  sector: '',
  age_limit: 22,
  team_size: 1,
  max_entries_per_delegation: 1,
  judgement_mode: 'three_judges',
  max_spread: 1,
  anonymous: false,
  workstation_count: 10,
  version: 1,
});

const delegation = (id: string, code: string): Delegation => ({
  id,
  event_id: 'e',
  code,
  name_zh: `${code}代表队`,
  name_en: `${code} team`,
  kind: 'region',
  version: 1,
});

let n = 0;
function entry(skillId: string, delegationId: string, status: Entry['status'], names: [string, string][]): Entry {
  n += 1;
  return {
    id: `entry-${n}`,
    event_id: 'e',
    skill_id: skillId,
    delegation_id: delegationId,
    status,
    version: 1,
    recused: false,
    competitors: names.map(([name, birth], i) => ({
      id: `c-${n}-${i}`,
      entry_id: `entry-${n}`,
      name,
      gender: 'female',
      birth_date: birth,
      id_number: '1101**********451X',
      version: 1,
      has_photo: false,
      has_account: false,
    })),
  };
}

const rows = competitorRows(
  [
    entry('s17', 'bj', 'confirmed', [['张伟', '2004-03-01']]),
    entry('s09', 'sh', 'registered', [['Li Na', '2003-07-15']]),
    entry('s17', 'sh', 'registered', [['王芳', '2005-01-20']]),
    entry('s2', 'gd', 'withdrawn', [
      ['Chen Jie', '2002-11-11'],
      ['Zhao Lei', '2002-01-01'],
    ]),
  ],
  [skill('s17', '17'), skill('s09', '09'), skill('s2', '2')],
  [delegation('bj', 'BJ'), delegation('sh', 'SH'), delegation('gd', 'GD')],
  'en',
);

const base: TableQuery = {
  search: '',
  skillId: '',
  delegationId: '',
  status: '',
  sort: 'name',
  descending: false,
  page: 1,
  perPage: 50,
};

describe('competitorRows', () => {
  it('flattens team entries into one row per competitor with skill and delegation', () => {
    expect(rows).toHaveLength(5);
    const chen = rows.find((r) => r.competitor.name === 'Chen Jie');
    expect(chen?.skillNumber).toBe('2');
    expect(chen?.delegationCode).toBe('GD');
    expect(chen?.skillName).toBe('Skill 2');
  });
});

describe('queryRows', () => {
  it('searches every term across name, delegation and skill, ignoring case and full-width letters', () => {
    expect(queryRows([...rows], { ...base, search: 'ＳＨ 17' }).rows.map((r) => r.competitor.name)).toEqual(['王芳']);
    expect(queryRows([...rows], { ...base, search: 'li' }).rows.map((r) => r.competitor.name)).toEqual(['Li Na']);
  });

  it('filters by skill, delegation and entry status', () => {
    expect(queryRows([...rows], { ...base, skillId: 's17' }).total).toBe(2);
    expect(queryRows([...rows], { ...base, delegationId: 'sh', status: 'registered' }).total).toBe(2);
    expect(queryRows([...rows], { ...base, status: 'withdrawn' }).total).toBe(2);
  });

  it('sorts skills numerically and by birth date in either direction', () => {
    const bySkill = queryRows([...rows], { ...base, sort: 'skill' }).rows.map((r) => r.skillNumber);
    expect(bySkill).toEqual(['2', '2', '09', '17', '17']);
    const youngestFirst = queryRows([...rows], { ...base, sort: 'birth_date', descending: true }).rows;
    expect(youngestFirst[0]?.competitor.name).toBe('王芳');
  });

  it('pages and clamps a page beyond the end to the last page', () => {
    const page = queryRows([...rows], { ...base, perPage: 2, page: 9 });
    expect(page.page).toBe(3);
    expect(page.total).toBe(5);
    expect(page.rows).toHaveLength(1);
  });

  it('stays fast for an event of 3,000 competitors', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...rows[i % rows.length]!, competitor: { ...rows[i % rows.length]!.competitor, id: `x${i}`, name: `选手${i}` } }));
    const started = performance.now();
    const result = queryRows(many, { ...base, search: '选手29', sort: 'skill' });
    expect(result.total).toBe(111);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('normalise', () => {
  it('folds full-width ASCII and case', () => {
    expect(normalise('  ＡＢｃ１ ')).toBe('abc1');
  });
});
