/**
 * The judge's tablet app (`/mark`): touch-first marking that keeps working without a network.
 * The shell: who is marking (the session, or offline the copy of the last sign-in on this
 * tablet), the connection and the queue in the header, the sync loop, and the screens.
 */

import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, memo, Suspense, useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';

import { useLocale } from '@/lib/locale';
import { useAuth } from '@/lib/auth/context';
import { useApi } from '@/lib/api/client';
import { messages, otherLocale } from '@/lib/i18n';

import { LAST_USER_KEY, marksKey, useMarkingMe, useMySkills } from './data';
import { cacheDelete } from './store';
import { EntryList } from './EntryList';
import { MarkEntry } from './MarkEntry';
import { syncNow } from './sync';
import { useLocalMarks, useOnline, useSyncStatus } from './useLocalMarks';
import { registerServiceWorker } from './pwa';
import { SessionContext, useMarkingSession, type MarkingSession } from './session';
import './marking.css';

// Only chief experts open the floor view: its code is not part of every judge's tablet start-up
// (the service worker still keeps it on the tablet).
const ChiefFloor = lazy(() => import('./ChiefFloor').then((m) => ({ default: m.ChiefFloor })));

function createMarkingQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The tablet decides itself what to do without a network (its IndexedDB copy), so queries
      // always run instead of pausing while the browser reports being offline.
      queries: { networkMode: 'always', staleTime: 15_000, retry: false, refetchOnWindowFocus: false },
      mutations: { networkMode: 'always' },
    },
  });
}

export function MarkingApp() {
  const [queryClient] = useState(createMarkingQueryClient);
  useEffect(() => {
    registerServiceWorker();
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <MarkingGate />
    </QueryClientProvider>
  );
}

function MarkingGate() {
  const { t } = useTranslation('marking');
  const { state, restore } = useAuth();
  const online = useOnline();
  const location = useLocation();

  // Back online after starting offline: try the sign-in cookie again.
  useEffect(() => {
    if (online && state.status === 'signed_out' && state.reason === 'offline') void restore();
  }, [online, state, restore]);

  if (state.status === 'restoring') {
    return (
      <p role="status" className="mark-loading">
        {t('loading')}
      </p>
    );
  }
  if (state.status === 'signed_out' && state.reason !== 'offline') {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  return <MarkingShell signedIn={state.status === 'signed_in'} />;
}

function MarkingShell({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation('marking');
  const client = useApi();
  const queryClient = useQueryClient();
  const me = useMarkingMe();
  const userId = me.data?.id;
  const skillIds = (me.data?.roles ?? [])
    .filter((r) => (r.role === 'expert' || r.role === 'chief_expert') && r.scope_id != null)
    .map((r) => r.scope_id as string);
  const skills = useMySkills(userId, skillIds);
  const { marks, save } = useLocalMarks(userId);
  const online = useOnline();
  const pending = marks.filter((m) => m.state === 'pending').length;
  // Marks the server did not take (someone else saved first, or refused): not "all sent".
  const unresolved = marks.filter((m) => m.state === 'conflict' || m.state === 'rejected').length;

  const sync = () => {
    if (!signedIn || userId === undefined) return;
    void syncNow(client, userId, (entryIds) => {
      for (const id of entryIds) void queryClient.invalidateQueries({ queryKey: marksKey(id) });
      void queryClient.invalidateQueries({ queryKey: ['marking', 'skill-marks'] });
    });
  };

  // Send at start, when the network returns, and every few seconds while something is queued.
  const syncQueued = useEffectEvent(sync);
  useEffect(() => {
    if (!signedIn || userId === undefined || pending === 0) return;
    syncQueued();
    const timer = window.setInterval(() => syncQueued(), 5_000);
    return () => window.clearInterval(timer);
  }, [signedIn, userId, pending, online]);

  if (me.isPending) {
    return (
      <p role="status" className="mark-loading">
        {t('loading')}
      </p>
    );
  }
  if (me.data === undefined) {
    return (
      <div className="mark-app">
        <MarkHeader pending={pending} unresolved={unresolved} signedIn={signedIn} />
        <main className="mark-main">
          <p className="mark-notice">{signedIn ? (me.error?.message ?? t('noCopy')) : t('noCopy')}</p>
        </main>
      </div>
    );
  }

  const session: MarkingSession = { me: me.data, signedIn, marks, save, skills: skills.data ?? [], sync };

  return (
    <SessionContext value={session}>
      <div className="mark-app">
        <MarkHeader pending={pending} unresolved={unresolved} signedIn={signedIn} />
        <main id="main" className="mark-main" tabIndex={-1}>
          {skills.isPending ? (
            <p role="status">{t('loading')}</p>
          ) : skills.data === undefined ? (
            <p className="mark-notice">{t('noCopy')}</p>
          ) : (
            <Routes>
              <Route index element={<SkillPicker />} />
              <Route path=":skillId" element={<EntryList />} />
              <Route path=":skillId/entries/:entryId" element={<MarkEntry />} />
              <Route
                path=":skillId/floor"
                element={
                  <Suspense fallback={<p role="status">{t('loading')}</p>}>
                    <ChiefFloor />
                  </Suspense>
                }
              />
            </Routes>
          )}
        </main>
      </div>
    </SessionContext>
  );
}

// Its props are three figures: a tap that changes none of them does not render the header.
const MarkHeader = memo(function MarkHeader({ pending, unresolved, signedIn }: { pending: number; unresolved: number; signedIn: boolean }) {
  const { t } = useTranslation('marking');
  const { locale, setLocale } = useLocale();
  const online = useOnline();
  const status = useSyncStatus();
  const next = otherLocale(locale);
  const navigate = useNavigate();
  const location = useLocation();
  const { signOut } = useAuth();
  const { t: common } = useLocale();
  return (
    <header className="mark-header">
      <Link to="/mark" className="mark-brand">
        <span className="mark-brand-name">Skillmark · </span>
        {t('appTitle')}
      </Link>
      <span className={`mark-net ${online ? 'is-online' : 'is-offline'}`} role="status" data-testid="network-state">
        {online ? t('online') : t('offline')}
      </span>
      <span className={`mark-queue ${pending + unresolved > 0 ? 'has-pending' : ''}`} role="status" aria-live="polite" data-testid="queue">
        {pending > 0 ? t('queued', { count: pending }) : unresolved === 0 ? t('allSent') : ''}
        {unresolved > 0 && `${pending > 0 ? ' · ' : ''}${t('unresolved', { count: unresolved })}`}
        {status.phase === 'syncing' && pending > 0 ? ` · ${t('syncing')}` : ''}
        {status.phase === 'error' && pending > 0 ? ` · ${t('syncError', { detail: status.detail })}` : ''}
      </span>
      {!signedIn && online && pending > 0 && (
        <button type="button" className="mark-button" onClick={() => void navigate(`/login?next=${encodeURIComponent(location.pathname)}`)}>
          {t('signIn')}
        </button>
      )}
      <button
        type="button"
        className="mark-button mark-button-quiet"
        lang={next}
        aria-label={messages[next].switchToThisLanguage}
        onClick={() => setLocale(next)}
      >
        {messages[next].languageName}
      </button>
      {/* Also offline (after a reload the app runs from its copy): queued marks stay on the tablet
          under this judge and are sent at their next sign-in; the app no longer opens offline as them. */}
      <button type="button" className="mark-button mark-button-quiet" onClick={() => void cacheDelete(LAST_USER_KEY).then(signOut).then(() => navigate('/'))}>
        {common.signOut}
      </button>
    </header>
  );
});

function SkillPicker() {
  const { t } = useTranslation('marking');
  const { locale } = useLocale();
  const { skills } = useMarkingSession();
  if (skills.length === 0) return <p className="mark-notice">{t('noSkills')}</p>;
  if (skills.length === 1 && skills[0] !== undefined) return <Navigate to={`/mark/${skills[0].skill.id}`} replace />;
  return (
    <section>
      <h1>{t('chooseSkill')}</h1>
      <ul className="mark-list">
        {skills.map(({ skill }) => (
          <li key={skill.id}>
            <Link className="mark-tile" to={`/mark/${skill.id}`}>
              {skill.number} {locale === 'en' ? skill.name_en : skill.name_zh}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
