import { Link, Navigate } from 'react-router';

import { ReadinessCard } from '@/app/ReadinessCard';
import { useLocale } from '@/app/locale';
import { PageTitle } from '@/components/PageTitle';
import { useAuth } from '@/features/auth/authContext';

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

export function HomePage() {
  const { t } = useLocale();
  const { state } = useAuth();

  return (
    <>
      <PageTitle documentTitle="Skillmark">{t.tagline}</PageTitle>
      <p className="lead">{t.underConstruction}</p>

      {state.status === 'restoring' && (
        <p role="status" className="card muted">
          {t.sessionRestoring}
        </p>
      )}
      {state.status === 'signed_in' && <Navigate to="/console" replace />}
      {state.status === 'signed_out' && <SignedOutCard />}

      <ReadinessCard />

      <section className="card" aria-labelledby="docs-heading">
        <h2 id="docs-heading">{t.docsHeading}</h2>
        <p>{t.docsIntro}</p>
        <p>
          <a href="/api/docs">{t.docsLink}</a> <code>/api/docs</code>
        </p>
      </section>
    </>
  );
}
