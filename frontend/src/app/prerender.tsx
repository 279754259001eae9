/**
 * The sign-in page rendered at build time (scripts/prerender.mjs), one copy per language, which
 * the server sends for `/login` (src/spa.rs). The form is a real HTML form (`POST /login`), so a
 * person can sign in as soon as the page has arrived, before the app's script has; once the
 * script has run, React takes the same markup over (`hydrateRoot` in main.tsx).
 *
 * It renders exactly what the app renders at `/login` on its first render (the session still
 * being checked), which is what hydration needs.
 */
import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';

import { AppRoutes, AppShell } from '@/app/App';
import { LOCALES, messages, type Locale } from '@/lib/i18n';

export { LOCALES };

export interface PrerenderedPage {
  /** The markup for `#root`. */
  html: string;
  /** The document title the page sets once its script runs (`PageTitle`). */
  title: string;
}

export function renderSignInPage(locale: Locale): PrerenderedPage {
  const html = renderToString(
    <AppShell locale={locale}>
      <StaticRouter location="/login">
        <AppRoutes />
      </StaticRouter>
    </AppShell>,
  );
  const t = messages[locale];
  return { html, title: `${t.loginTitle} · ${t.pageTitleSuffix}` };
}
