import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import { createI18n } from '@/app/i18n';
import { LocaleProvider } from '@/app/LocaleProvider';

import { SelectionListTable } from '@/features/selection/ListTable';
import type { Schemas } from '@/features/selection/model';
import { listLine } from '@/testing/selection';

const team: Schemas['SelectionList'] = {
  audience: 'public',
  programme_id: 'p1',
  programme_name: '第46届世界技能大赛中国集训队选拔',
  target_competition: '第48届世界技能大赛',
  target_year: 2026,
  state: 'final',
  notice_days: 7,
  time_zone: 'Asia/Shanghai',
  lines: [
    listLine({ place: 'member' }),
    listLine({
      competitors: ['周伟'],
      delegation_code: 'XM',
      delegation_name_en: 'Xiamen',
      delegation_name_zh: '厦门',
      entry_id: 'e2',
      place: 'alternate',
      rank: 2,
      standing: '719.00',
    }),
  ],
};

async function render(locale: 'en' | 'zh-CN', list: Schemas['SelectionList']) {
  const i18n = createI18n(locale);
  await i18n.loadNamespaces('selection');
  return renderToStaticMarkup(
    <LocaleProvider initial={locale}>
      <I18nextProvider i18n={i18n}>
        <SelectionListTable list={list} />
      </I18nextProvider>
    </LocaleProvider>,
  );
}

describe('SelectionListTable', () => {
  it('shows the national team with member and alternate, labelled for the phone layout (zh-CN)', async () => {
    const html = await render('zh-CN', team);
    expect(html).toContain('<td data-label="身份">正式队员</td>');
    expect(html).toContain('<td data-label="身份">替补</td>');
    expect(html).toContain('01 综合机械与自动化');
    expect(html).toContain('天津');
  });

  it('has no place column for a squad list (en)', async () => {
    const html = await render('en', { ...team, lines: team.lines.map((l) => ({ ...l, place: null })) });
    expect(html).not.toContain('Place');
    expect(html).toContain('01 Mechatronics');
    expect(html).toContain('Tianjin');
  });

  it('says where the announcement (公示) stands, in the event time zone, and marks a line under review', async () => {
    const announced = await render('zh-CN', { ...team, state: 'announced', notice_ends: '2027-10-08T04:00:00Z' });
    expect(announced).toContain('公示中：2027年10月8日 12:00（北京时间）前可提出异议。');
    const final = await render('en', { ...team, state: 'final', notice_ends: '2027-10-08T04:00:00Z' });
    expect(final).toMatch(/Final: the notice period ended on Oct 8, 2027, 12:00 PM \(UTC\+8\)/);
    const reviewed = await render('zh-CN', {
      ...team,
      state: 'under_review',
      lines: team.lines.map((l, i) => ({ ...l, under_review: i === 0 })),
    });
    expect(reviewed).toContain('复核中：该名单有未处理的异议');
    expect(reviewed.match(/badge-warning/g)).toHaveLength(1);
  });
});
