import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { I18nScope } from '@/app/ScreenScope';
import { LocaleProvider } from '@/app/LocaleProvider';
import type { Problem } from '@/lib/problem';

import { ProblemAlert } from '@/components/ProblemAlert';

const base: Problem = {
  type: '/problems/x',
  title: 'x',
  status: 422,
  detail: 'the server says so',
  code: 'x',
  errors: [],
  retryAfterSeconds: null,
};

function render(problem: Problem | null, otherErrors: Problem['errors'] = []) {
  return renderToStaticMarkup(
    <LocaleProvider initial="en">
      <I18nScope>
        <ProblemAlert problem={problem} otherErrors={otherErrors} />
      </I18nScope>
    </LocaleProvider>,
  );
}

describe('ProblemAlert', () => {
  it('keeps an empty live region when there is no problem', () => {
    expect(render(null)).toBe('<div role="alert" class="form-alert form-alert-empty"></div>');
  });

  it('lists a rejected file\'s problems by row and column', () => {
    const html = render({ ...base, code: 'file_rejected', rows: [{ row: 4, column: 'birth_date', message: 'is not a date' }] });
    expect(html).toContain('the server says so');
    expect(html).toContain('Row 4, column birth_date:');
    expect(html).toContain('is not a date');
  });

  it('explains a version conflict and a refusal in words, and lists field errors no field can show', () => {
    expect(render({ ...base, status: 409, code: 'version_conflict' })).toContain('Someone else changed this');
    expect(render({ ...base, status: 403, code: 'forbidden' })).toContain('Your role does not allow this.');
    const html = render({ ...base, code: 'validation_failed' }, [{ field: 'version', message: 'is required' }]);
    expect(html).toContain('<code>version</code>: is required');
  });
});
