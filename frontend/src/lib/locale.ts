/** The current user-interface language, shared through React context. */

import { createContext, useContext } from 'react';

import { DEFAULT_LOCALE, messages, type Locale, type Messages } from '@/lib/i18n';

export interface LocaleContextValue {
  locale: Locale;
  /** The messages of `locale`. */
  t: Messages;
  setLocale: (locale: Locale) => void;
}

export const LocaleContext = createContext<LocaleContextValue>({
  locale: DEFAULT_LOCALE,
  t: messages[DEFAULT_LOCALE],
  setLocale: () => {},
});

export function useLocale(): LocaleContextValue {
  return useContext(LocaleContext);
}
