import { useEffect, useState } from 'react';

import { useLocale } from '@/lib/locale';
import type { Messages } from '@/lib/i18n';
import { checkReadiness, type Readiness } from '@/lib/readiness';

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

/** The server's readiness (`GET /readyz`), with a button to check again. */
export function ReadinessCard() {
  const { t } = useLocale();
  const [status, setStatus] = useState<Status>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);

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

  const checking = status.state === 'checking';

  return (
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
  );
}
