import { BrowserRouter, Route, Routes } from 'react-router';

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

/**
 * The SPA's routes. The server answers every non-`/api` path with
 * `index.html`, so links in Skillmark's emails (`/setup?token=…`,
 * `/accept-invitation?token=…`, `/reset-password?token=…`) land here.
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
    </Routes>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <AuthProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AuthProvider>
    </LocaleProvider>
  );
}
