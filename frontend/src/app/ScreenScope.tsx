/**
 * What the screens after sign-in need and the sign-in page does not: i18next (`useTranslation`).
 * It is not part of the first load: the sign-in pages use the `common` strings through
 * `useLocale()`, and every lazily loaded screen (App.tsx's `lazyPage`) arrives together with this
 * module and is wrapped in `ScreenScope`. One i18next instance per language serves every screen;
 * switching the language in `LocaleProvider` switches the instance. (The API client, `useApi`,
 * comes from `AuthProvider`.)
 */

import type { ReactNode } from 'react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';

import { createI18n } from '@/app/i18n';
import { useLocale } from '@/lib/locale';
import type { Locale } from '@/lib/i18n';

const instances = new Map<Locale, i18n>();

function instanceFor(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (instance === undefined) {
    instance = createI18n(locale);
    instances.set(locale, instance);
  }
  return instance;
}

export function I18nScope({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  return <I18nextProvider i18n={instanceFor(locale)}>{children}</I18nextProvider>;
}

export function ScreenScope({ children }: { children: ReactNode }) {
  return <I18nScope>{children}</I18nScope>;
}

export { loadFeatureStrings } from '@/app/i18n';
