import { Link, Outlet } from 'react-router';

import { useLocale } from '@/lib/locale';
import { useAuth } from '@/lib/auth/context';
import { messages, otherLocale } from '@/lib/i18n';

/** Page frame: skip link, header with the language switch, and the routed content. */
export function Layout() {
  const { t, locale, setLocale } = useLocale();
  const { state } = useAuth();
  const next = otherLocale(locale);

  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <div className="page">
        <header className="page-header">
          <Link to="/" className="brand">
            Skillmark
          </Link>
          <nav className="header-nav" aria-label={t.mainNavigation}>
            {state.status === 'signed_out' && (
              <Link to="/login" className="button button-secondary">
                {t.signIn}
              </Link>
            )}
            <button
              type="button"
              className="button button-secondary"
              lang={next}
              aria-label={messages[next].switchToThisLanguage}
              onClick={() => setLocale(next)}
            >
              {messages[next].languageName}
            </button>
          </nav>
        </header>
        <main id="main" className="page-main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </>
  );
}
