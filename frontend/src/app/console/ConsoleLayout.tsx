import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router';

import { useLocale } from '@/lib/locale';
import { useAuth } from '@/lib/auth/context';
import { messages, otherLocale } from '@/lib/i18n';
import { queryKeys, type Delegation, type Skill } from '@/lib/api/queries';
import { delegationName } from '@/lib/delegation';

import { RequireSignIn } from './RequireSignIn';
import { useWorkspaces } from './useWorkspaces';
import { activeWorkspace, type Workspace } from './workspaces';

const WORKSPACE_STORAGE_KEY = 'skillmark.workspace';

function remembered(): string | null {
  try {
    return window.localStorage.getItem(WORKSPACE_STORAGE_KEY);
  } catch {
    return null;
  }
}

function remember(key: string): void {
  try {
    window.localStorage.setItem(WORKSPACE_STORAGE_KEY, key);
  } catch {
    // Not remembering is harmless.
  }
}

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

function useNavItems(workspace: Workspace | null, eventIdInPath: string | undefined): NavItem[] {
  const { t } = useTranslation('console');
  if (workspace === null) return [];
  const organiser = (e: string): NavItem[] => [
    { to: `/events/${e}`, label: t('navOverview'), end: true },
    { to: `/events/${e}/skills`, label: t('navSkills') },
    { to: `/events/${e}/delegations`, label: t('navDelegations') },
    { to: `/events/${e}/people`, label: t('navPeople') },
    { to: `/events/${e}/imports`, label: t('navImports') },
    { to: `/events/${e}/entries`, label: t('navEntries') },
    { to: `/events/${e}/competitors`, label: t('navCompetitors') },
    { to: `/events/${e}/audit`, label: t('navAudit') },
    { to: `/events/${e}/results`, label: t('navResults') },
    { to: `/events/${e}/disputes`, label: t('navDisputes') },
  ];
  switch (workspace.role) {
    case 'admin':
      return [
        { to: '/events', label: t('navEvents'), end: true },
        { to: '/selection', label: t('navSelection') },
        ...(eventIdInPath !== undefined ? organiser(eventIdInPath) : []),
      ];
    case 'organiser':
      // All their events, and where they start a new one.
      return [
        { to: '/events', label: t('navEvents'), end: true },
        { to: '/selection', label: t('navSelection') },
        ...organiser(workspace.scopeId ?? ''),
      ];
    case 'team_leader':
      return [
        { to: workspace.base, label: t('navEntries'), end: true },
        { to: `${workspace.base}/experts`, label: t('navExperts') },
        { to: `${workspace.base}/results`, label: t('navResults') },
        { to: `${workspace.base}/selection`, label: t('navTeamSelection') },
      ];
    case 'chief_expert':
      return [
        { to: `${workspace.base}/progress`, label: t('navProgress') },
        { to: `${workspace.base}/scheme`, label: t('navScheme') },
        { to: `${workspace.base}/groups`, label: t('navGroups') },
        { to: `${workspace.base}/draw`, label: t('navDraw') },
        { to: `${workspace.base}/analytics`, label: t('navAnalytics') },
        { to: `${workspace.base}/results`, label: t('navResults') },
        { to: `/mark/${workspace.scopeId ?? ''}`, label: t('navTablet') },
      ];
    default:
      return [{ to: '/account', label: t('navAccount') }];
  }
}

/** "Organiser · National selection 2026", "Team leader · BJ", "Chief expert · 17 Web technologies". */
function useWorkspaceLabel() {
  const { t } = useTranslation('console');
  const { locale } = useLocale();
  const queryClient = useQueryClient();
  const { events } = useWorkspaces();
  return (w: Workspace): string => {
    const role = t(`role_${w.role}`);
    if (w.role === 'admin') return role;
    const event = events.data?.find((e) => e.id === w.eventId);
    if (w.role === 'organiser') return `${role} · ${event?.name ?? ''}`;
    if (w.role === 'team_leader' && w.eventId !== null) {
      const d = queryClient.getQueryData<Delegation[]>(queryKeys.delegations(w.eventId))?.find((x) => x.id === w.scopeId);
      return `${role} · ${delegationName(d, locale)} · ${event?.name ?? ''}`;
    }
    if (w.role === 'chief_expert' && w.eventId !== null) {
      const s = queryClient.getQueryData<Skill[]>(queryKeys.skills(w.eventId))?.find((x) => x.id === w.scopeId);
      return `${role} · ${s === undefined ? '' : `${s.number} ${locale === 'en' ? s.name_en : s.name_zh}`}`;
    }
    return role;
  };
}

function ConsoleFrame() {
  const { t } = useTranslation('console');
  const { t: common, locale, setLocale } = useLocale();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const { workspaces, me } = useWorkspaces();
  const [rememberedKey, setRememberedKey] = useState(remembered);
  const eventMatch = useMatch({ path: '/events/:eventId', end: false });
  const eventIdInPath = eventMatch?.params.eventId;
  const active = activeWorkspace(workspaces, location.pathname, rememberedKey);
  const items = useNavItems(active, eventIdInPath === 'new' ? undefined : eventIdInPath);
  const label = useWorkspaceLabel();
  const next = otherLocale(locale);
  // Below the tablet breakpoint the navigation folds behind a menu button, so tables get the width.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.pathname]);

  useEffect(() => {
    if (active !== null && active.key !== rememberedKey) {
      remember(active.key);
      setRememberedKey(active.key);
    }
  }, [active, rememberedKey]);

  const switchTo = (key: string) => {
    const target = workspaces.find((w) => w.key === key);
    if (target === undefined) return;
    remember(key);
    setRememberedKey(key);
    void navigate(target.home);
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {common.skipToContent}
      </a>
      <div className="console">
        <header className="console-header">
          {items.length > 0 && (
            <button
              type="button"
              className="button button-secondary menu-button"
              aria-expanded={menuOpen}
              aria-controls="console-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              {t('menu')}
            </button>
          )}
          <Link to="/console" className="brand">
            Skillmark
          </Link>
          {workspaces.length > 0 && (
            <div className="workspace-switch">
              <label htmlFor="workspace-switch">{t('workspace')}</label>
              <select id="workspace-switch" value={active?.key ?? ''} onChange={(e) => switchTo(e.target.value)}>
                {workspaces.map((w) => (
                  <option key={w.key} value={w.key}>
                    {label(w)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="header-nav">
            {me.data !== undefined && <span className="muted user-name">{me.data.display_name}</span>}
            <button
              type="button"
              className="button button-secondary"
              lang={next}
              aria-label={messages[next].switchToThisLanguage}
              onClick={() => setLocale(next)}
            >
              {messages[next].languageName}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                void signOut().then(() => navigate('/'));
              }}
            >
              {common.signOut}
            </button>
          </div>
        </header>
        {items.length > 0 && (
          <nav id="console-nav" className={menuOpen ? 'console-nav open' : 'console-nav'} aria-label={common.mainNavigation}>
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end === true}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" className="console-main" tabIndex={-1}>
          {/* The screen loads its own data at once; it does not wait for the workspaces. */}
          <Outlet />
        </main>
      </div>
    </>
  );
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A problem the server reported (4xx) will not go away by asking again.
        retry: (failures, error) => failures < 2 && !isClientProblem(error),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function isClientProblem(error: Error): boolean {
  const status = (error as Error & { problem?: { status: number } }).problem?.status ?? 0;
  return status >= 400 && status < 500;
}

/**
 * The signed-in console: header with the workspace switch, the workspace's navigation, the screen.
 * Its query cache lives as long as the console is shown: signing out leaves the console, so the
 * next person to sign in on this browser never sees the previous one's data.
 */
export function ConsoleLayout() {
  const [queryClient] = useState(createQueryClient);
  return (
    <RequireSignIn>
      <QueryClientProvider client={queryClient}>
        <ConsoleFrame />
      </QueryClientProvider>
    </RequireSignIn>
  );
}

/** `/console`: opens the remembered (or first) workspace's home. */
export function ConsoleHome() {
  const { t } = useTranslation('console');
  const { workspaces, pending } = useWorkspaces();
  const navigate = useNavigate();
  const target = activeWorkspace(workspaces, '/console', remembered());
  useEffect(() => {
    if (!pending && target !== null) void navigate(target.home, { replace: true });
  }, [pending, target, navigate]);
  if (!pending && target === null) {
    return <p className="card">{t('noWorkspaces')}</p>;
  }
  return (
    <p role="status" className="muted">
      {t('loading')}
    </p>
  );
}
