import { useEffect, useState } from 'react';

import { settle, useApi } from '@/lib/api/client';
import type { User } from '@/lib/api/queries';
import { useAuth } from '@/lib/auth/context';
import { useLocale } from '@/lib/locale';
import type { Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';

import { roleLabel, sortRoles } from './roles';

type MeState = { state: 'loading' } | { state: 'loaded'; me: User } | { state: 'failed'; problem: Problem };

/** The signed-in user (from `GET /api/v1/me`) and the sign-out button. */
export function AccountPanel() {
  const { t } = useLocale();
  const { signOut } = useAuth();
  const client = useApi();
  const [me, setMe] = useState<MeState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    let active = true;
    setMe({ state: 'loading' });
    void settle(client.GET('/api/v1/me')).then((result) => {
      if (!active) return;
      setMe(result.ok ? { state: 'loaded', me: result.data } : { state: 'failed', problem: result.problem });
    });
    return () => {
      active = false;
    };
  }, [client, attempt]);

  const onSignOut = async () => {
    if (signingOut) return;
    setSigningOut(true);
    await signOut();
    // The button is gone now; keep the keyboard focus in the page.
    document.getElementById('main')?.focus();
  };

  return (
    <section className="card" aria-labelledby="account-heading" aria-busy={me.state === 'loading'}>
      <h2 id="account-heading">{t.accountHeading}</h2>

      {me.state === 'loading' && (
        <p role="status" className="muted">
          {t.accountLoading}
        </p>
      )}

      {me.state === 'failed' && (
        <div className="notice notice-error" role="alert">
          <p>{t.accountLoadFailed}</p>
          <p>{problemMessage(me.problem, t)}</p>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t.tryAgain}
          </button>
        </div>
      )}

      {me.state === 'loaded' && (
        <dl className="details">
          <div>
            <dt>{t.fieldDisplayName}</dt>
            <dd>{me.me.display_name}</dd>
          </div>
          <div>
            <dt>{t.fieldEmail}</dt>
            <dd>{me.me.email}</dd>
          </div>
          <div>
            <dt>{t.accountRoles}</dt>
            <dd>
              {me.me.roles.length === 0 ? (
                t.accountNoRoles
              ) : (
                <ul className="role-list">
                  {sortRoles(me.me.roles).map((role) => (
                    <li key={role.id}>
                      <span className="role-name">{roleLabel(role.role, t)}</span>
                      {role.scope_id !== undefined && role.scope_id !== null && (
                        <span className="role-meta">
                          {t.roleScope}: <code>{role.scope_id}</code>
                        </span>
                      )}
                      {role.delegation_id !== undefined && role.delegation_id !== null && (
                        <span className="role-meta">
                          {t.roleDelegation}: <code>{role.delegation_id}</code>
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      )}

      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={signingOut}
          aria-busy={signingOut}
          onClick={() => void onSignOut()}
        >
          {signingOut ? t.signingOut : t.signOut}
        </button>
      </div>
    </section>
  );
}
