import { useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { CLIENT_PROBLEM_CODES, type Problem } from '@/lib/problem';

import { login } from './authApi';
import { useAuth } from '@/lib/auth/context';
import { nextPage } from './nextPage';
import { useAuthForm } from './useAuthForm';
import { validateLogin } from './validation';

export function LoginPage() {
  const { t } = useLocale();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Only a path inside the app, once normalised: never send a fresh sign-in to another site
  // (the server's form sign-in applies the same rule).
  const next = nextPage(params.get('next'));
  const form = useAuthForm({ initialValues: { email: '', password: '' }, validate: validateLogin });
  const { showFailure } = form;

  // A sign-in the browser posted before this script had run and the server refused: it sends the
  // browser back here with the refusal's code (`POST /login`, src/api/auth.rs).
  const failed = params.get('failed');
  const retryAfter = params.get('retry_after');
  useEffect(() => {
    if (failed !== null && failed !== '') showFailure(postedSignInProblem(failed, retryAfter));
  }, [failed, retryAfter, showFailure]);

  const submit = form.onSubmit(async (values) => {
    const result = await login(values);
    if (!result.ok) return result.problem;
    signIn(result.data);
    void navigate(next, { replace: true });
    return null;
  });

  return (
    <div className="narrow">
      <PageTitle>{t.loginTitle}</PageTitle>
      {/* A plain form the browser can post itself until the script has run (`POST /login`); no
          `action`, so it goes to this page's own address and the server sees `next` too. */}
      <form ref={form.formRef} className="card form" method="post" noValidate onSubmit={submit}>
        <FormAlert message={form.alert?.message} details={form.alert?.details} />
        <TextField
          label={t.fieldEmail}
          type="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          {...form.bind('email')}
        />
        <TextField label={t.fieldPassword} type="password" autoComplete="current-password" required {...form.bind('password')} />
        <div className="form-actions">
          <SubmitButton busy={form.submitting} label={t.loginSubmit} busyLabel={t.loginSubmitting} />
          <Link to="/forgot-password">{t.forgotPasswordLink}</Link>
        </div>
      </form>
    </div>
  );
}

/** What the server's form sign-in may send back, and the status each stands for. */
const POSTED_SIGN_IN_STATUS: Readonly<Record<string, number>> = {
  invalid_credentials: 401,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

/**
 * The problem a refused form sign-in stands for, from the code the server put in the address
 * (any other code, e.g. a hand-edited address, is shown as an unexpected answer).
 */
export function postedSignInProblem(code: string, retryAfter: string | null = null): Problem {
  const known = Object.hasOwn(POSTED_SIGN_IN_STATUS, code);
  const seconds = retryAfter !== null && /^\d{1,6}$/.test(retryAfter) ? Number(retryAfter) : null;
  return {
    type: 'about:blank',
    title: '',
    status: known ? (POSTED_SIGN_IN_STATUS[code] ?? 0) : 0,
    detail: '',
    code: known ? code : CLIENT_PROBLEM_CODES.unexpected,
    errors: [],
    retryAfterSeconds: seconds,
  };
}
