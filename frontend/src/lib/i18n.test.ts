import { describe, expect, it } from 'vitest';

import { DEFAULT_LOCALE, LOCALES, detectLocale, isLocale, messages, otherLocale } from './i18n';

describe('messages', () => {
  it('defines every message, non-empty, for every locale', () => {
    const keys = Object.keys(messages.en).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(messages[locale]).sort()).toEqual(keys);
      for (const value of Object.values(messages[locale])) {
        expect(value.trim()).not.toBe('');
      }
    }
  });
});

describe('detectLocale', () => {
  it('maps any Chinese tag to zh-CN', () => {
    expect(detectLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLocale(['zh'])).toBe('zh-CN');
  });

  it('maps English tags to en', () => {
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en');
  });

  it('skips unsupported languages and falls back to the default', () => {
    expect(detectLocale(['fr-FR', 'en-US'])).toBe('en');
    expect(detectLocale(['fr-FR', 'de'])).toBe(DEFAULT_LOCALE);
    expect(detectLocale([])).toBe(DEFAULT_LOCALE);
  });
});

describe('otherLocale / isLocale', () => {
  it('toggles between the two locales', () => {
    expect(otherLocale('en')).toBe('zh-CN');
    expect(otherLocale('zh-CN')).toBe('en');
  });

  it('recognises only supported locales', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(null)).toBe(false);
  });
});
