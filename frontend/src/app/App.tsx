import { useCallback, useEffect, useState } from 'react';

import { detectLocale, isLocale, messages, otherLocale, type Locale, type Messages } from '@/lib/i18n';
import { checkReadiness, type Readiness } from '@/lib/readiness';

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

type Status = { state: 'checking' } | Readiness;

function statusText(status: Status, t: Messages): string {
  switch (status.state) {
    case 'checking':
      return t.statusChecking;
    case 'ready':
      return t.statusReady;
    case 'not_ready':
      return t.statusNotReady;
    case 'unreachable':
      return t.statusUnreachable;
  }
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [status, setStatus] = useState<Status>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const t = messages[locale];
  const next = otherLocale(locale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  useEffect(() => {
    let active = true;
    setStatus({ state: 'checking' });
    void checkReadiness().then((result) => {
      if (active) setStatus(result);
    });
    return () => {
      active = false;
    };
  }, [attempt]);

  const switchLocale = useCallback(() => {
    setLocale(next);
    rememberLocale(next);
  }, [next]);

  const checking = status.state === 'checking';

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Skillmark</h1>
          <p className="tagline">{t.tagline}</p>
        </div>
        <button
          type="button"
          className="button button-secondary"
          lang={next}
          aria-label={messages[next].switchToThisLanguage}
          onClick={switchLocale}
        >
          {messages[next].languageName}
        </button>
      </header>

      <main className="page-main">
        <p className="lead">{t.underConstruction}</p>

        <section className="card" aria-labelledby="status-heading">
          <h2 id="status-heading">{t.statusHeading}</h2>
          <div role="status" aria-live="polite" aria-atomic="true">
            <p className={`status status-${status.state}`}>{statusText(status, t)}</p>
            {status.state !== 'checking' && status.state !== 'ready' && (
              <p className="status-detail">
                {t.statusDetail}: <code lang="en">{status.detail}</code>
              </p>
            )}
          </div>
          <button
            type="button"
            className="button"
            onClick={() => setAttempt((n) => n + 1)}
            disabled={checking}
            aria-busy={checking}
          >
            {t.checkAgain}
          </button>
        </section>

        <section className="card" aria-labelledby="docs-heading">
          <h2 id="docs-heading">{t.docsHeading}</h2>
          <p>{t.docsIntro}</p>
          <p>
            <a href="/api/docs">{t.docsLink}</a> <code>/api/docs</code>
          </p>
        </section>
      </main>
    </div>
  );
}
