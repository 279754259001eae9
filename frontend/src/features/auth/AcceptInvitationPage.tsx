import { useNavigate, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';

import { acceptInvitation, acceptInvitationBody } from './authApi';
import { useAuth } from '@/lib/auth/context';
import { fieldMessage } from './fieldMessages';
import { MissingToken } from './MissingToken';
import { useAuthForm } from './useAuthForm';
import { validateAccept } from './validation';

/** `/accept-invitation?token=…`: choose a password (and maybe correct the name). */
export function AcceptInvitationPage() {
  const { t } = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const form = useAuthForm({
    initialValues: { display_name: '', password: '', confirm: '' },
    validate: validateAccept,
  });

  const submit = form.onSubmit(async (values) => {
    const result = await acceptInvitation(acceptInvitationBody(token, values.password, values.display_name));
    if (!result.ok) return result.problem;
    signIn(result.data);
    void navigate('/', { replace: true });
    return null;
  });

  return (
    <div className="narrow">
      <PageTitle>{t.acceptTitle}</PageTitle>
      {token === '' ? (
        <MissingToken />
      ) : (
        <>
          <p>{t.acceptIntro}</p>
          <form ref={form.formRef} className="card form" noValidate onSubmit={submit}>
            <FormAlert message={form.alert?.message} details={form.alert?.details} />
            <TextField
              label={t.fieldPassword}
              type="password"
              autoComplete="new-password"
              hint={fieldMessage('passwordHint', t)}
              required
              {...form.bind('password')}
            />
            <TextField
              label={t.fieldConfirmPassword}
              type="password"
              autoComplete="new-password"
              required
              {...form.bind('confirm')}
            />
            <TextField
              label={t.fieldDisplayName}
              optionalText={t.fieldOptional}
              hint={t.acceptDisplayNameHint}
              autoComplete="name"
              {...form.bind('display_name')}
            />
            <div className="form-actions">
              <SubmitButton busy={form.submitting} label={t.acceptSubmit} busyLabel={t.acceptSubmitting} />
            </div>
          </form>
        </>
      )}
    </div>
  );
}
