import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { FocusNotice } from '@/components/FocusNotice';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';

import { confirmPasswordReset } from './authApi';
import { fieldMessage } from './fieldMessages';
import { MissingToken } from './MissingToken';
import { useAuthForm } from './useAuthForm';
import { validateReset } from './validation';

/** `/reset-password?token=…`: choose a new password. */
export function ResetPasswordPage() {
  const { t } = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const [done, setDone] = useState(false);
  const form = useAuthForm({ initialValues: { new_password: '', confirm: '' }, validate: validateReset });

  const submit = form.onSubmit(async (values) => {
    const result = await confirmPasswordReset({ token, new_password: values.new_password });
    if (!result.ok) return result.problem;
    setDone(true);
    return null;
  });

  let content;
  if (token === '') {
    content = <MissingToken newLinkPath="/forgot-password" />;
  } else if (done) {
    content = (
      <FocusNotice>
        <p>{t.resetDone}</p>
        <p>
          <Link to="/login">{t.signIn}</Link>
        </p>
      </FocusNotice>
    );
  } else {
    content = (
      <>
        <p>{t.resetIntro}</p>
        <form ref={form.formRef} className="card form" noValidate onSubmit={submit}>
          <FormAlert message={form.alert?.message} details={form.alert?.details} />
          <TextField
            label={t.fieldNewPassword}
            type="password"
            autoComplete="new-password"
            hint={fieldMessage('passwordHint', t)}
            required
            {...form.bind('new_password')}
          />
          <TextField
            label={t.fieldConfirmPassword}
            type="password"
            autoComplete="new-password"
            required
            {...form.bind('confirm')}
          />
          <div className="form-actions">
            <SubmitButton busy={form.submitting} label={t.resetSubmit} busyLabel={t.resetSubmitting} />
            <Link to="/forgot-password">{t.requestNewLink}</Link>
          </div>
        </form>
      </>
    );
  }

  return (
    <div className="narrow">
      <PageTitle>{t.resetTitle}</PageTitle>
      {content}
    </div>
  );
}
