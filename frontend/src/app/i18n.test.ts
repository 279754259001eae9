import { describe, expect, it } from 'vitest';

import { LOCALES } from '@/lib/i18n';

import { createI18n, resourcesFor } from './i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console translations', () => {
  it('has every string, non-empty and with the same placeholders, in both languages', async () => {
    const en = await resourcesFor('en');
    const zh = await resourcesFor('zh-CN');
    for (const ns of Object.keys(en) as (keyof typeof en)[]) {
      const enNs = en[ns] as Record<string, string>;
      const zhNs = zh[ns] as Record<string, string>;
      expect(Object.keys(zhNs).sort(), ns).toEqual(Object.keys(enNs).sort());
      for (const [key, text] of Object.entries(enNs)) {
        expect(text.trim(), `${ns}.${key}`).not.toBe('');
        expect(placeholders(zhNs[key] ?? ''), `zh-CN ${ns}.${key}`).toEqual(placeholders(text));
      }
    }
  });

  it('fills {placeholders} and switches language', async () => {
    const i18n = createI18n('en');
    expect(i18n.t('pageOf', { ns: 'console', page: 2, pages: 5, total: 230 })).toBe('Page 2 of 5 (230 rows)');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('pageOf', { ns: 'console', page: 2, pages: 5, total: 230 })).toBe('第 2 / 5 页（共 230 行）');
    expect(LOCALES).toContain(i18n.language);
  });

  it('loads a feature\'s strings when first asked for, in the current language', async () => {
    const i18n = createI18n('zh-CN');
    expect(i18n.hasResourceBundle('zh-CN', 'team')).toBe(false);
    await i18n.loadNamespaces('team');
    expect(i18n.t('registerEntry', { ns: 'team' })).toBe('报名参赛项目');
  });
});
