import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { RecordTable } from './RecordList';

interface Row {
  id: string;
  code: string;
  count: number;
}

const columns = [
  { header: 'Code', cell: (r: Row) => r.code },
  { header: 'Count', cell: (r: Row) => r.count, className: 'num' },
];

describe('RecordTable', () => {
  it('says so when there is nothing to list', () => {
    expect(renderToStaticMarkup(<RecordTable items={[]} columns={columns} rowKey={(r) => r.id} empty="Nothing yet." />)).toBe(
      '<p class="muted">Nothing yet.</p>',
    );
  });

  it('renders a row per item, with an edit button named after the item', () => {
    const html = renderToStaticMarkup(
      <RecordTable
        items={[
          { id: '1', code: 'BJ', count: 3 },
          { id: '2', code: 'SH', count: 5 },
        ]}
        columns={columns}
        rowKey={(r) => r.id}
        empty="Nothing yet."
        edit={{ label: 'Edit', name: (r) => `Change ${r.code}`, onEdit: () => {} }}
      />,
    );
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toContain('<td class="num">5</td>');
    expect(html).toContain('aria-label="Change SH"');
    expect(html).toContain('<span class="visually-hidden">Edit</span>');
  });

  it('marks the row header and numbers, hides a buttons column header and labels cells for phones', () => {
    const html = renderToStaticMarkup(
      <RecordTable
        items={[{ id: '1', code: 'BJ', count: 3 }]}
        columns={[
          { header: 'Code', rowHeader: true, cell: (r: Row) => r.code },
          { header: 'Count', num: true, cell: (r: Row) => r.count },
          { header: 'Open', hiddenHeader: true, cell: () => 'open' },
        ]}
        rowKey={(r) => r.id}
        empty="Nothing yet."
        labelled
        className="selection-cards"
        rowClassName={(r) => `row-${r.code}`}
      />,
    );
    expect(html).toContain('<table class="selection-cards">');
    expect(html).toContain('<th scope="col" class="num">Count</th>');
    expect(html).toContain('<th scope="col"><span class="visually-hidden">Open</span></th>');
    expect(html).toContain('<tr class="row-BJ"><th scope="row" data-label="Code">BJ</th><td class="num" data-label="Count">3</td>');
  });
});
