import { describe, expect, it } from 'vitest';

import { DEFAULT_LOCALE, LOCALES, detectLocale, format, isLocale, messages, otherLocale } from './i18n';

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

  it('uses the same placeholders in every locale', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
      const expected = placeholders(messages.en[key]);
      for (const locale of LOCALES) {
        expect(placeholders(messages[locale][key]), `${locale}.${key}`).toEqual(expected);
      }
    }
  });
});

describe('format', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('{min} to {max} characters', { min: 10, max: 128 })).toBe('10 to 128 characters');
    expect(format('请在 {seconds} 秒后重试', { seconds: 5 })).toBe('请在 5 秒后重试');
    expect(format('{missing} stays', {})).toBe('{missing} stays');
    expect(format('no placeholders', { x: 1 })).toBe('no placeholders');
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
