import { useCallback, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { LocaleContext, type LocaleContextValue } from '@/lib/locale';
import { detectLocale, isLocale, messages, type Locale } from '@/lib/i18n';

const LOCALE_STORAGE_KEY = 'skillmark.locale';
/**
 * The language as a cookie too: the server reads it to send the sign-in page already rendered in
 * this language (src/spa.rs), so that page and its script agree from the first paint.
 */
const LOCALE_COOKIE = 'skillmark_locale';

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
  initial?: Locale | undefined;
}

/**
 * The interface language, and the sign-in pages' `common` strings as a typed object
 * (`useLocale().t`). i18next (for `useTranslation`) is not loaded here but with the screens after
 * sign-in (`I18nScope`), which keeps it out of the first screen's JavaScript.
 */
export function LocaleProvider({ children, initial }: LocaleProviderProps) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());

  // Before the first layout: the page's language picks the fonts for its script (Chinese text
  // laid out under `lang="en"` is laid out again once the language is right).
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
    document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }, [locale]);

  const setLocale = useCallback(
    (next: Locale) => {
      setLocaleState(next);
      rememberLocale(next);
    },
    [],
  );

  const value = useMemo<LocaleContextValue>(
    () => ({ locale, t: messages[locale], setLocale }),
    [locale, setLocale],
  );

  return <LocaleContext value={value}>{children}</LocaleContext>;
}
