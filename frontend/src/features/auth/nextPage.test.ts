import { describe, expect, it } from 'vitest';

import { nextPage } from './nextPage';

describe('nextPage', () => {
  it('goes on to a page of this site', () => {
    expect(nextPage('/my-results')).toBe('/my-results');
    expect(nextPage('/results/e?q=a&b=c#top')).toBe('/results/e?q=a&b=c#top');
    expect(nextPage('/events/1/skills/2/marking')).toBe('/events/1/skills/2/marking');
  });

  it('resolves dot segments first', () => {
    expect(nextPage('/x/../my-results')).toBe('/my-results');
    expect(nextPage('/../my-results')).toBe('/my-results');
  });

  it('never goes on to another site', () => {
    for (const elsewhere of [
      null,
      '',
      'my-results',
      'https://evil.example/',
      'javascript:alert(1)',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      // Dot segments that resolve to `//host`, which a browser follows to that host.
      '/..//evil.example',
      '/x/../..//evil.example/p',
      '/.//evil.example',
      '/%2e%2e//evil.example',
      '/./\\evil.example',
      '/x/../..\\/evil.example',
    ]) {
      expect(nextPage(elsewhere), String(elsewhere)).toBe('/console');
    }
  });
});
