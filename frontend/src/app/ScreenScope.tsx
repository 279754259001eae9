/**
 * What the screens after sign-in need and the sign-in page does not: i18next (`useTranslation`)
 * and the typed API client (`useApi`, openapi-fetch). Neither is part of the first load: the
 * sign-in pages use the `common` strings through `useLocale()` and the plain `fetch` wrapper of
 * `lib/api.ts`, and every lazily loaded screen (App.tsx's `lazyPage`) arrives together with this
 * module and is wrapped in `ScreenScope`. One i18next instance per language and one client per
 * session serve every screen; switching the language in `LocaleProvider` switches the instance.
 */

import type { ReactNode } from 'react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';

import { createI18n } from '@/app/i18n';
import { useLocale } from '@/app/locale';
import { useAuth } from '@/features/auth/authContext';
import { ApiClientContext, createApiClient, type ApiClient, type TokenSource } from '@/lib/api/client';
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

/** The typed client of the session whose tokens these are (one per sign-in provider). */
const clients = new WeakMap<TokenSource, ApiClient>();

function ApiScope({ children }: { children: ReactNode }) {
  const { tokens } = useAuth();
  let client = clients.get(tokens);
  if (client === undefined) {
    client = createApiClient(tokens);
    clients.set(tokens, client);
  }
  return <ApiClientContext value={client}>{children}</ApiClientContext>;
}

export function ScreenScope({ children }: { children: ReactNode }) {
  return (
    <I18nScope>
      <ApiScope>{children}</ApiScope>
    </I18nScope>
  );
}

export { loadFeatureStrings } from '@/app/i18n';
