import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Navigate } from 'react-router';

import { ReadinessCard } from '@/app/ReadinessCard';
import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { settle, useApi } from '@/lib/api/client';
import { useAuth } from '@/lib/auth/context';

function SignedOutCard() {
  const { t } = useLocale();
  const { state } = useAuth();
  const reason = state.status === 'signed_out' ? state.reason : 'initial';
  return (
    <section className="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">{t.signedOutHeading}</h2>
      <div role="status">
        {reason === 'signed_out' && <p className="notice">{t.signedOutNotice}</p>}
        {reason === 'expired' && <p className="notice">{t.sessionExpiredNotice}</p>}
      </div>
      <p>{t.signedOutIntro}</p>
      <p>
        <Link to="/login" className="button">
          {t.signIn}
        </Link>
      </p>
    </section>
  );
}

// The list is read through TanStack Query, which arrives with the list's own chunk: the sign-in
// page's first load does not carry the query library.
const PublicEventLinks = lazy(() => import('@/features/results/PublicEventLinks').then((m) => ({ default: m.PublicEventLinks })));

/** The events with public results, each with its results and its live board: what a visitor came for. */
function PublicEvents() {
  const { t } = useLocale();
  return (
    <section className="card" aria-labelledby="public-events-heading" data-testid="home-events">
      <h2 id="public-events-heading">{t.homeEventsHeading}</h2>
      <Suspense fallback={<p role="status">{t.loading}</p>}>
        <PublicEventLinks />
      </Suspense>
    </section>
  );
}

/** Whether the signed-in person is an administrator (null while asking). */
function useIsAdmin(): boolean | null {
  const { state } = useAuth();
  const client = useApi();
  const [admin, setAdmin] = useState<boolean | null>(null);
  useEffect(() => {
    if (state.status !== 'signed_in') return;
    let active = true;
    void settle(client.GET('/api/v1/me')).then((me) => {
      if (active) setAdmin(me.ok && me.data.roles.some((r) => r.role === 'admin'));
    });
    return () => {
      active = false;
    };
  }, [state.status, client]);
  return admin;
}

/**
 * The home page leads visitors to the public results and the live boards; signed-in people go on
 * to the console, except administrators, who also find the server's status and the API docs here.
 */
export function HomePage() {
  const { t } = useLocale();
  const { state } = useAuth();
  const admin = useIsAdmin();

  return (
    <>
      <PageTitle documentTitle="Skillmark">{t.tagline}</PageTitle>

      {state.status === 'restoring' && (
        <p role="status" className="card muted">
          {t.sessionRestoring}
        </p>
      )}
      {state.status === 'signed_in' && admin === false && <Navigate to="/console" replace />}

      <PublicEvents />
      {state.status === 'signed_out' && <SignedOutCard />}

      {state.status === 'signed_in' && admin === true && (
        <>
          <p>
            <Link to="/console" className="button">
              {t.homeConsole}
            </Link>
          </p>
          <ReadinessCard />
          <section className="card" aria-labelledby="docs-heading">
            <h2 id="docs-heading">{t.docsHeading}</h2>
            <p>{t.docsIntro}</p>
            <p>
              <a href="/api/docs">{t.docsLink}</a> <code>/api/docs</code>
            </p>
          </section>
        </>
      )}
    </>
  );
}
