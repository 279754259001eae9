import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { AccountPage } from '@/app/AccountPage';
import { HomePage } from '@/app/HomePage';
import { LocaleProvider } from '@/app/LocaleProvider';
import { NotFoundPage } from '@/app/NotFoundPage';
import { Layout } from '@/components/Layout';
import { AcceptInvitationPage } from '@/features/auth/AcceptInvitationPage';
import { AuthProvider } from '@/features/auth/AuthProvider';
import { ForgotPasswordPage } from '@/features/auth/ForgotPasswordPage';
import { LoginPage } from '@/features/auth/LoginPage';
import { ResetPasswordPage } from '@/features/auth/ResetPasswordPage';
import { SetupPage } from '@/features/auth/SetupPage';
import { ChiefRoutes } from '@/features/chief/ChiefRoutes';
import { ConsoleHome, ConsoleLayout } from '@/features/console/ConsoleLayout';
import { AuditPage } from '@/features/organiser/AuditPage';
import { CompetitorsPage } from '@/features/organiser/CompetitorsPage';
import { DelegationsPage } from '@/features/organiser/DelegationsPage';
import { EventOverviewPage } from '@/features/organiser/EventOverviewPage';
import { EventsPage } from '@/features/organiser/EventsPage';
import { ImportsPage } from '@/features/organiser/ImportsPage';
import { PeoplePage } from '@/features/organiser/PeoplePage';
import { SkillsPage } from '@/features/organiser/SkillsPage';
import { TeamExpertsPage } from '@/features/team/TeamExpertsPage';
import { TeamPage } from '@/features/team/TeamPage';

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
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route element={<ConsoleLayout />}>
        <Route path="console" element={<ConsoleHome />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="events" element={<EventsPage />} />
        <Route path="events/:eventId">
          <Route index element={<EventOverviewPage />} />
          <Route path="skills" element={<SkillsPage />} />
          <Route path="delegations" element={<DelegationsPage />} />
          <Route path="people" element={<PeoplePage />} />
          <Route path="imports" element={<ImportsPage />} />
          <Route path="competitors" element={<CompetitorsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="team/:delegationId" element={<TeamPage />} />
          <Route path="team/:delegationId/experts" element={<TeamExpertsPage />} />
          <Route path="skills/:skillId/*" element={<ChiefRoutes />} />
        </Route>
        <Route path="home" element={<Navigate to="/console" replace />} />
      </Route>
    </Routes>
  );
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A problem the server reported (4xx) will not go away by asking again.
        retry: (failures, error) => failures < 2 && !(error instanceof Error && error.name === 'ProblemError' && isClientProblem(error)),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function isClientProblem(error: Error): boolean {
  const status = (error as Error & { problem?: { status: number } }).problem?.status ?? 0;
  return status >= 400 && status < 500;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <LocaleProvider>
      <AuthProvider>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AuthProvider>
    </LocaleProvider>
  );
}
