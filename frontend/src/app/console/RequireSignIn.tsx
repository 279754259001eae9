import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { useLocale } from '@/lib/locale';
import { useAuth } from '@/lib/auth/context';

/** Console screens need a sign-in: while restoring, wait; when signed out, go to the sign-in page. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const { t } = useLocale();
  const location = useLocation();
  if (state.status === 'restoring') {
    return (
      <p role="status" className="card muted">
        {t.sessionRestoring}
      </p>
    );
  }
  if (state.status === 'signed_out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
