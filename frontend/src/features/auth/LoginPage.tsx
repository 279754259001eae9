import { Link, useNavigate, useSearchParams } from 'react-router';

import { useLocale } from '@/app/locale';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';

import { login } from './authApi';
import { useAuth } from './authContext';
import { useAuthForm } from './useAuthForm';
import { validateLogin } from './validation';

export function LoginPage() {
  const { t } = useLocale();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Only a path inside the app: never send a fresh sign-in to another site.
  const requested = params.get('next') ?? '';
  const next = requested.startsWith('/') && !requested.startsWith('//') ? requested : '/console';
  const form = useAuthForm({ initialValues: { email: '', password: '' }, validate: validateLogin });

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
      <form ref={form.formRef} className="card form" noValidate onSubmit={submit}>
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
