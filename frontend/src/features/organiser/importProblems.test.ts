import { describe, expect, it } from 'vitest';

import { columnName, problemText, type ImportProblemCode, type RowProblem } from './importProblems';
import { organiserMessages } from './messages';

const translator =
  (locale: 'en' | 'zh-CN') =>
  (key: string, params: Record<string, unknown> = {}): string =>
    (organiserMessages[locale] as Record<string, string>)[key]!.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));

const codes: ImportProblemCode[] = [
  'missing_column', 'no_data_rows', 'required', 'too_long', 'invalid', 'invalid_kind', 'invalid_position',
  'delegation_exists', 'duplicate', 'unknown_delegation', 'unknown_skill', 'skill_closed', 'age_limit',
  'id_number_exists', 'team_full', 'too_many_entries', 'expert_exists',
];
const params = { max: '1', code: 'SH', first_row: '2', number: '99', skill: '17', limit: '22', size: '2', email: 'a@b.cn' };

describe('import problems', () => {
  it('words every code in both languages, with its parameters filled in', () => {
    for (const code of codes) {
      const p: RowProblem = { row: 3, column: 'birth_date', message: 'English detail', code, params };
      for (const locale of ['en', 'zh-CN'] as const) {
        const text = problemText(p, translator(locale));
        expect(text).not.toMatch(/[{}]/);
        expect(text).not.toBe('English detail');
        if (locale === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    const age: RowProblem = { row: 7, column: 'birth_date', message: '', code: 'age_limit', params: { skill: '17', limit: '22' } };
    expect(problemText(age, translator('zh-CN'))).toBe('选手超出项目 17 的年龄限制（不超过 22 岁）。');
    expect(problemText({ row: 2, column: 'gender', message: '', code: 'invalid' }, translator('zh-CN'))).toBe('性别无效。');
  });

  it('names known columns in the interface language and leaves others as the file has them', () => {
    expect(columnName('id_number', translator('zh-CN'))).toBe('证件号码');
    expect(columnName('Spalte', translator('zh-CN'))).toBe('Spalte');
  });

  it('shows the server text of a problem without a code', () => {
    expect(problemText({ row: 1, column: '', message: 'Sheet detail' }, translator('zh-CN'))).toBe('Sheet detail');
  });
});
