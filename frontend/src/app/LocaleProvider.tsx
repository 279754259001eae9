import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';

import { createI18n } from '@/app/i18n';
import { LocaleContext, type LocaleContextValue } from '@/app/locale';
import { detectLocale, isLocale, messages, type Locale } from '@/lib/i18n';

const LOCALE_STORAGE_KEY = 'skillmark.locale';

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy settings); fall through.
  }
  return detectLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not remembering the choice is harmless.
  }
}

interface LocaleProviderProps {
  children: ReactNode;
  /** Fixed starting locale (tests, server rendering); otherwise stored or detected. */
  initial?: Locale;
}

/**
 * The interface language: an i18next instance (for `useTranslation`) and, for
 * the sign-in pages, the `common` strings as a typed object (`useLocale().t`).
 */
export function LocaleProvider({ children, initial }: LocaleProviderProps) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());
  const [i18n] = useState(() => createI18n(locale));

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback(
    (next: Locale) => {
      void i18n.changeLanguage(next);
      setLocaleState(next);
      rememberLocale(next);
    },
    [i18n],
  );

  const value = useMemo<LocaleContextValue>(
    () => ({ locale, t: messages[locale], setLocale }),
    [locale, setLocale],
  );

  return (
    <I18nextProvider i18n={i18n}>
      <LocaleContext value={value}>{children}</LocaleContext>
    </I18nextProvider>
  );
}
