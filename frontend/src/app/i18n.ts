/**
 * i18next with the two interface languages. Each feature brings its strings
 * as a namespace (`features/<feature>/messages.ts`, zh-CN typed against en so
 * a string missing in one language is a type error); the sign-in pages' strings
 * (`lib/i18n.ts`) are the `common` namespace.
 *
 * Placeholders are written `{name}` in every namespace (one syntax for the
 * translators), hence the interpolation prefix and suffix.
 */

import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

import { chiefMessages } from '@/features/chief/messages';
import { consoleMessages } from '@/features/console/messages';
import { organiserMessages } from '@/features/organiser/messages';
import { teamMessages } from '@/features/team/messages';
import { LOCALES, messages, type Locale } from '@/lib/i18n';

export const NAMESPACES = ['console', 'organiser', 'team', 'chief', 'common'] as const;

export function resourcesFor(locale: Locale) {
  return {
    console: consoleMessages[locale],
    organiser: organiserMessages[locale],
    team: teamMessages[locale],
    chief: chiefMessages[locale],
    common: messages[locale],
  };
}

/** A ready (synchronously initialised) i18next instance for `locale`. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    supportedLngs: [...LOCALES],
    fallbackLng: false,
    ns: [...NAMESPACES],
    defaultNS: 'console',
    resources: Object.fromEntries(LOCALES.map((l) => [l, resourcesFor(l)])),
    interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
