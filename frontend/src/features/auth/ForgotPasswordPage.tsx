import { useState } from 'react';
import { Link } from 'react-router';

import { useLocale } from '@/lib/locale';
import { FocusNotice } from '@/components/FocusNotice';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';

import { requestPasswordReset } from './authApi';
import { useAuthForm } from './useAuthForm';
import { validateForgot } from './validation';

/** `/forgot-password`: ask for a reset link. The answer never says whether the account exists. */
export function ForgotPasswordPage() {
  const { t } = useLocale();
  const [done, setDone] = useState(false);
  const form = useAuthForm({ initialValues: { email: '' }, validate: validateForgot });

  const submit = form.onSubmit(async (values) => {
    const result = await requestPasswordReset(values.email);
    if (!result.ok) return result.problem;
    setDone(true);
    return null;
  });

  return (
    <div className="narrow">
      <PageTitle>{t.forgotTitle}</PageTitle>
      {done ? (
        <FocusNotice>
          <p>{t.forgotDone}</p>
          <p>
            <Link to="/login">{t.backToSignIn}</Link>
          </p>
        </FocusNotice>
      ) : (
        <>
          <p>{t.forgotIntro}</p>
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
            <div className="form-actions">
              <SubmitButton busy={form.submitting} label={t.forgotSubmit} busyLabel={t.forgotSubmitting} />
              <Link to="/login">{t.backToSignIn}</Link>
            </div>
          </form>
        </>
      )}
    </div>
  );
}
