/**
 * i18next with the two interface languages. Each feature brings its strings
 * as a namespace (`features/<feature>/messages.ts`, zh-CN typed against en so
 * a string missing in one language is a type error); the sign-in pages' strings
 * (`lib/i18n.ts`) are the `common` namespace.
 *
 * Placeholders are written `{name}` in every namespace (one syntax for the
 * translators), hence the interpolation prefix and suffix.
 */

import i18next, { type BackendModule, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

import { consoleMessages } from '@/app/console/messages';
import { LOCALES, messages, type Locale } from '@/lib/i18n';

/** Namespaces every screen needs, bundled with the app. */
const BUNDLED = ['console', 'common'] as const;

/** Namespaces that arrive with their feature's screens (split off the first load). */
const FEATURE_NAMESPACES = {
  organiser: () => import('@/features/organiser/messages').then((m) => m.organiserMessages),
  team: () => import('@/features/team/messages').then((m) => m.teamMessages),
  chief: () => import('@/features/chief/messages').then((m) => m.chiefMessages),
  marking: () => import('@/features/marking/messages').then((m) => m.markingMessages),
  results: () => import('@/features/results/messages').then((m) => m.resultsMessages),
  publication: () => import('@/features/publication/messages').then((m) => m.publicationMessages),
  selection: () => import('@/features/selection/messages').then((m) => m.selectionMessages),
} as const;

export type FeatureNamespace = keyof typeof FEATURE_NAMESPACES;

export const NAMESPACES = [...BUNDLED, ...(Object.keys(FEATURE_NAMESPACES) as FeatureNamespace[])];

/** Starts fetching a feature's strings (the module cache then serves the backend's read). */
export function loadFeatureStrings(namespace: FeatureNamespace): Promise<unknown> {
  return FEATURE_NAMESPACES[namespace]();
}

function isFeatureNamespace(ns: string): ns is FeatureNamespace {
  return ns in FEATURE_NAMESPACES;
}

/** Loads a feature's strings when a screen first asks for its namespace. */
const featureBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, callback) {
    if (!isFeatureNamespace(namespace) || !(LOCALES as readonly string[]).includes(language)) {
      callback(new Error(`no strings for ${language}/${namespace}`), null);
      return;
    }
    FEATURE_NAMESPACES[namespace]()
      .then((all) => callback(null, all[language as Locale]))
      .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null));
  },
};

/** Every namespace's strings in `locale` (for tests; the app loads feature namespaces lazily). */
export async function resourcesFor(locale: Locale) {
  const [organiser, team, chief, marking, results, publication, selection] = await Promise.all([
    FEATURE_NAMESPACES.organiser(),
    FEATURE_NAMESPACES.team(),
    FEATURE_NAMESPACES.chief(),
    FEATURE_NAMESPACES.marking(),
    FEATURE_NAMESPACES.results(),
    FEATURE_NAMESPACES.publication(),
    FEATURE_NAMESPACES.selection(),
  ]);
  return {
    console: consoleMessages[locale],
    common: messages[locale],
    organiser: organiser[locale],
    team: team[locale],
    chief: chief[locale],
    marking: marking[locale],
    results: results[locale],
    publication: publication[locale],
    selection: selection[locale],
  };
}

/**
 * An i18next instance for `locale`, ready at once for the bundled namespaces; a feature's
 * namespace loads with its screens (`useTranslation` suspends until it is there).
 */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance
    .use(featureBackend)
    .use(initReactI18next)
    .init({
      lng: locale,
      supportedLngs: [...LOCALES],
      fallbackLng: false,
      ns: [...BUNDLED],
      defaultNS: 'console',
      partialBundledLanguages: true,
      resources: Object.fromEntries(
        LOCALES.map((l) => [l, { console: consoleMessages[l], common: messages[l] }]),
      ),
      interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
      initAsync: false,
      returnNull: false,
    });
  return instance;
}
