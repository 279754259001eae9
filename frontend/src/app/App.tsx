import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { HomePage } from '@/app/HomePage';
import type { FeatureNamespace } from '@/app/i18n';
import { LocaleProvider } from '@/app/LocaleProvider';
import { useLocale } from '@/lib/locale';
import { NotFoundPage } from '@/app/NotFoundPage';
import { Layout } from '@/components/Layout';
import { AcceptInvitationPage } from '@/features/auth/AcceptInvitationPage';
import { AuthProvider } from '@/lib/auth/AuthProvider';
import { ForgotPasswordPage } from '@/features/auth/ForgotPasswordPage';
import { LoginPage } from '@/features/auth/LoginPage';
import { ResetPasswordPage } from '@/features/auth/ResetPasswordPage';
import { SetupPage } from '@/features/auth/SetupPage';
import type { Locale } from '@/lib/i18n';

// Each role's screens load when first opened, so signing in (and a team leader's phone) does not
// wait for every other role's code.
const loaders = {
  console: () => import('@/app/console/ConsoleLayout'),
  account: () => import('@/app/AccountPage'),
  events: () => import('@/features/organiser/EventsPage'),
  overview: () => import('@/features/organiser/EventOverviewPage'),
  skills: () => import('@/features/organiser/SkillsPage'),
  delegations: () => import('@/features/organiser/DelegationsPage'),
  people: () => import('@/features/organiser/PeoplePage'),
  imports: () => import('@/features/organiser/ImportsPage'),
  competitors: () => import('@/features/organiser/CompetitorsPage'),
  entries: () => import('@/features/organiser/EntriesPage'),
  audit: () => import('@/features/organiser/AuditPage'),
  team: () => import('@/features/team/TeamPage'),
  teamExperts: () => import('@/features/team/TeamExpertsPage'),
  teamSelection: () => import('@/features/team/TeamSelectionPage'),
  chief: () => import('@/features/chief/ChiefRoutes'),
  marking: () => import('@/features/marking/MarkingApp'),
  publicResults: () => import('@/features/results/PublicResults'),
  board: () => import('@/features/results/LiveBoard'),
  myResults: () => import('@/features/results/MyResults'),
  skillResults: () => import('@/features/publication/SkillResultsPage'),
  publication: () => import('@/features/publication/PublicationPage'),
  disputes: () => import('@/features/publication/DisputesPage'),
  teamResults: () => import('@/features/publication/TeamResultsPage'),
  programmes: () => import('@/features/selection/ProgrammesPage'),
  programme: () => import('@/features/selection/ProgrammePage'),
  selectionPath: () => import('@/features/selection/PathPage'),
  publicSelection: () => import('@/features/selection/PublicSelection'),
};

// The console frame (and with it its query client) is not needed to sign in.
const ConsoleLayout = lazyPage(loaders.console, 'ConsoleLayout');
const ConsoleHome = lazyPage(loaders.console, 'ConsoleHome');
const AccountPage = lazyPage(loaders.account, 'AccountPage');
const EventsPage = lazyPage(loaders.events, 'EventsPage');
const EventOverviewPage = lazyPage(loaders.overview, 'EventOverviewPage');
const SkillsPage = lazyPage(loaders.skills, 'SkillsPage');
const DelegationsPage = lazyPage(loaders.delegations, 'DelegationsPage');
const PeoplePage = lazyPage(loaders.people, 'PeoplePage');
const ImportsPage = lazyPage(loaders.imports, 'ImportsPage');
const CompetitorsPage = lazyPage(loaders.competitors, 'CompetitorsPage');
const EntriesPage = lazyPage(loaders.entries, 'EntriesPage');
const AuditPage = lazyPage(loaders.audit, 'AuditPage');
const TeamPage = lazyPage(loaders.team, 'TeamPage');
const TeamExpertsPage = lazyPage(loaders.teamExperts, 'TeamExpertsPage');
const TeamSelectionPage = lazyPage(loaders.teamSelection, 'TeamSelectionPage');
const ChiefRoutes = lazyPage(loaders.chief, 'ChiefRoutes');
// The judge's tablet app, the public results, the venue screen and the competitor's results: each
// its own chunk, so a tablet or a phone in the audience loads none of the console.
const MarkingApp = lazyPage(loaders.marking, 'MarkingApp');
const PublicResults = lazyPage(loaders.publicResults, 'PublicResults');
const LiveBoard = lazyPage(loaders.board, 'LiveBoard');
const MyResults = lazyPage(loaders.myResults, 'MyResults');
// The results workflow: the chief expert's ratification, the organiser's release and disputes.
const SkillResultsPage = lazyPage(loaders.skillResults, 'SkillResultsPage');
const PublicationPage = lazyPage(loaders.publication, 'PublicationPage');
const DisputesPage = lazyPage(loaders.disputes, 'DisputesPage');
const TeamResultsPage = lazyPage(loaders.teamResults, 'TeamResultsPage');
// The selection programme (选拔 → 集训 → 国家队): the organiser's programmes, a competitor's path,
// and the public squad and team lists (their own chunk, like the other public pages).
const ProgrammesPage = lazyPage(loaders.programmes, 'ProgrammesPage');
const ProgrammePage = lazyPage(loaders.programme, 'ProgrammePage');
const PathPage = lazyPage(loaders.selectionPath, 'PathPage');
const PublicSquadPage = lazyPage(loaders.publicSelection, 'PublicSquadPage');
const PublicTeamPage = lazyPage(loaders.publicSelection, 'PublicTeamPage');

/**
 * The code a console address needs, by path (a reload or an opened link): fetched at start-up
 * alongside the session check instead of one after the other.
 */
export function screensFor(path: string): (keyof typeof loaders)[] {
  const [, first, eventId, section, id, sub] = path.split('/');
  if (first === 'console') return ['console'];
  if (first === 'account') return ['console', 'account'];
  if (first === 'mark') return ['marking'];
  if (first === 'results') return eventId === 'selection' ? ['publicSelection'] : ['publicResults'];
  if (first === 'selection') {
    if (eventId === undefined || eventId === '') return ['console', 'programmes'];
    return ['console', eventId === 'entries' ? 'selectionPath' : 'programme'];
  }
  if (first === 'board') return ['board'];
  if (first === 'my-results') return ['myResults'];
  if (first !== 'events') return [];
  if (eventId === undefined || eventId === '') return ['console', 'events'];
  if (section === undefined || section === '') return ['console', 'overview'];
  if (section === 'team') {
    const screens: Record<string, keyof typeof loaders> = { experts: 'teamExperts', results: 'teamResults', selection: 'teamSelection' };
    return ['console', screens[sub ?? ''] ?? 'team'];
  }
  if (section === 'skills' && id !== undefined && id !== '') return ['console', sub === 'results' ? 'skillResults' : 'chief'];
  const organiser: Record<string, keyof typeof loaders> = {
    skills: 'skills',
    delegations: 'delegations',
    people: 'people',
    imports: 'imports',
    competitors: 'competitors',
    entries: 'entries',
    audit: 'audit',
    results: 'publication',
    disputes: 'disputes',
  };
  const screen = organiser[section];
  return screen === undefined ? ['console'] : ['console', screen];
}

const NAMESPACE_OF: Partial<Record<keyof typeof loaders, FeatureNamespace>> = {
  team: 'team',
  teamExperts: 'team',
  teamSelection: 'team',
  chief: 'chief',
  marking: 'marking',
  publicResults: 'results',
  board: 'results',
  myResults: 'results',
  events: 'organiser',
  overview: 'organiser',
  skills: 'organiser',
  delegations: 'organiser',
  people: 'organiser',
  imports: 'organiser',
  competitors: 'organiser',
  entries: 'organiser',
  audit: 'organiser',
  skillResults: 'publication',
  publication: 'publication',
  disputes: 'publication',
  teamResults: 'publication',
  programmes: 'selection',
  programme: 'selection',
  selectionPath: 'selection',
  publicSelection: 'selection',
};

// i18next and the strings of every screen after sign-in: loaded with the
// first such screen (see ScreenScope).
const screenScope = () => import('@/app/ScreenScope');

export function preloadScreens(path: string): void {
  const screens = screensFor(path);
  if (screens.length === 0) return;
  const scope = screenScope();
  for (const screen of screens) {
    void loaders[screen]();
    const namespace = NAMESPACE_OF[screen];
    if (namespace !== undefined) void scope.then((m) => m.loadFeatureStrings(namespace));
  }
}

/** A screen loaded when first shown, together with `ScreenScope`, which it renders inside. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Page = lazy(() =>
    Promise.all([load(), screenScope()]).then(([module, { ScreenScope }]): { default: ComponentType } => {
      const Screen: ComponentType = module[name];
      return {
        default: function Scoped() {
          return (
            <ScreenScope>
              <Screen />
            </ScreenScope>
          );
        },
      };
    }),
  );
  return function LazyPage() {
    return (
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    );
  };
}

function Loading() {
  const { t } = useLocale();
  return (
    <p role="status" className="muted">
      {t.loading}
    </p>
  );
}

/**
 * The SPA's routes. The server answers every non-`/api` path with
 * `index.html`, so links in Skillmark's emails (`/setup?token=…`,
 * `/accept-invitation?token=…`, `/reset-password?token=…`) land here.
 * The console (everything after sign-in) lives under its own layout.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="setup" element={<SetupPage />} />
        <Route path="accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="results/selection/stages/:stageId" element={<PublicSquadPage />} />
        <Route path="results/selection/programmes/:programmeId/team" element={<PublicTeamPage />} />
        <Route path="results/*" element={<PublicResults />} />
        <Route path="my-results" element={<MyResults />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route path="mark/*" element={<MarkingApp />} />
      <Route path="board/:eventId/*" element={<LiveBoard />} />
      <Route element={<ConsoleLayout />}>
        <Route path="console" element={<ConsoleHome />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="events" element={<EventsPage />} />
        <Route path="selection" element={<ProgrammesPage />} />
        <Route path="selection/entries/:entryId" element={<PathPage />} />
        <Route path="selection/:programmeId" element={<ProgrammePage />} />
        <Route path="events/:eventId">
          <Route index element={<EventOverviewPage />} />
          <Route path="skills" element={<SkillsPage />} />
          <Route path="delegations" element={<DelegationsPage />} />
          <Route path="people" element={<PeoplePage />} />
          <Route path="imports" element={<ImportsPage />} />
          <Route path="competitors" element={<CompetitorsPage />} />
          <Route path="entries" element={<EntriesPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="team/:delegationId" element={<TeamPage />} />
          <Route path="team/:delegationId/experts" element={<TeamExpertsPage />} />
          <Route path="team/:delegationId/results" element={<TeamResultsPage />} />
          <Route path="team/:delegationId/selection" element={<TeamSelectionPage />} />
          <Route path="results" element={<PublicationPage />} />
          <Route path="disputes" element={<DisputesPage />} />
          <Route path="skills/:skillId/results" element={<SkillResultsPage />} />
          <Route path="skills/:skillId/*" element={<ChiefRoutes />} />
        </Route>
        <Route path="home" element={<Navigate to="/console" replace />} />
      </Route>
    </Routes>
  );
}

interface AppShellProps {
  children: ReactNode;
  /** Fixed language (the sign-in page rendered at build time); otherwise stored or detected. */
  locale?: Locale;
}

/** What every page runs in: the language and the sign-in. The router comes inside. */
export function AppShell({ children, locale }: AppShellProps) {
  return (
    <LocaleProvider initial={locale}>
      <AuthProvider>{children}</AuthProvider>
    </LocaleProvider>
  );
}

export function App() {
  return (
    <AppShell>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppShell>
  );
}
