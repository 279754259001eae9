import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { FormAlert } from '@/components/FormAlert';
import { PageTitle } from '@/components/PageTitle';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { LOCALES, messages, type Locale } from '@/lib/i18n';

import { setup } from './authApi';
import { useAuth } from '@/lib/auth/context';
import { fieldMessage } from './fieldMessages';
import { MissingToken } from './MissingToken';
import { useAuthForm } from './useAuthForm';
import { validateSetup } from './validation';

/** `/setup?token=…`: create the first administrator. */
export function SetupPage() {
  const { t, locale: uiLocale } = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [locale, setLocale] = useState<Locale>(uiLocale);
  const form = useAuthForm({
    initialValues: { email: '', display_name: '', password: '', confirm: '' },
    validate: validateSetup,
  });

  const submit = form.onSubmit(async (values) => {
    const result = await setup({
      token,
      email: values.email,
      display_name: values.display_name,
      password: values.password,
      locale,
    });
    if (!result.ok) return result.problem;
    signIn(result.data);
    void navigate('/', { replace: true });
    return null;
  });

  return (
    <div className="narrow">
      <PageTitle>{t.setupTitle}</PageTitle>
      {token === '' ? (
        <MissingToken />
      ) : (
        <>
          <p>{t.setupIntro}</p>
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
            <TextField label={t.fieldDisplayName} autoComplete="name" required {...form.bind('display_name')} />
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
            <fieldset className="field choice-group" aria-describedby="setup-language-hint">
              <legend className="field-label">{t.fieldLanguage}</legend>
              <p className="field-hint" id="setup-language-hint">
                {t.languageHint}
              </p>
              {LOCALES.map((option) => (
                <label key={option} className="choice" lang={option}>
                  <input
                    type="radio"
                    name="locale"
                    value={option}
                    checked={locale === option}
                    onChange={() => setLocale(option)}
                  />
                  {messages[option].languageName}
                </label>
              ))}
            </fieldset>
            <div className="form-actions">
              <SubmitButton busy={form.submitting} label={t.setupSubmit} busyLabel={t.setupSubmitting} />
            </div>
          </form>
        </>
      )}
    </div>
  );
}
