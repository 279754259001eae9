import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/app/locale';
import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useEvent, useExperts, useSkills, type Skill } from '@/lib/api/queries';

import { DeadlineBanner } from './TeamPage';

/** The delegation's experts (the server shows a team leader only their own) and registering one. */
export function TeamExpertsPage() {
  const { eventId = '', delegationId = '' } = useParams();
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const event = useEvent(eventId);
  const skills = useSkills(eventId);
  const experts = useExperts(eventId);
  const skillName = (id: string) => {
    const s = skills.data?.find((x) => x.id === id);
    return s === undefined ? '' : `${s.number} ${locale === 'en' ? s.name_en : s.name_zh}`;
  };
  return (
    <>
      <PageTitle>{t('expertsTitle')}</PageTitle>
      {event.data !== undefined && <DeadlineBanner event={event.data} />}
      <QueryView query={experts}>
        {(list) => {
          const own = list.filter((x) => x.delegation_id === delegationId);
          return own.length === 0 ? (
            <p className="muted">{t('noExperts')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('skill')}</th>
                    <th scope="col">{t('position')}</th>
                  </tr>
                </thead>
                <tbody>
                  {own.map((x) => (
                    <tr key={x.id}>
                      <td>{skillName(x.skill_id)}</td>
                      <td>{t(`position_${x.position}` as 'position_expert')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
      <QueryView query={skills}>{(ss) => <RegisterExpert eventId={eventId} delegationId={delegationId} skills={ss} />}</QueryView>
    </>
  );
}

function RegisterExpert({ eventId, delegationId, skills }: { eventId: string; delegationId: string; skills: Skill[] }) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({ skill_id: '', email: '', display_name: '' });
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/events/{id}/experts', {
          params: { path: { id: eventId } },
          body: {
            skill_id: form.values.skill_id,
            delegation_id: delegationId,
            email: form.values.email.trim(),
            display_name: form.values.display_name.trim(),
            locale,
          },
        }),
      ),
    onSuccess: () => {
      setDone(t('expertRegistered', { email: form.values.email }));
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.experts(eventId) });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="register-expert">
      <h2 id="register-expert">{t('registerExpert')}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          form.setProblem(null);
          register.mutate();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        <div role="status">{done !== null && <p className="notice notice-success">{done}</p>}</div>
        <div className="form-grid">
          <SelectField label={t('skill')} required {...form.bind('skill_id')}>
            <option value="">{t('chooseSkill')}</option>
            {skills.map((s) => (
              <option key={s.id} value={s.id}>
                {s.number} {locale === 'en' ? s.name_en : s.name_zh}
              </option>
            ))}
          </SelectField>
          <TextField label={t('email')} type="email" required autoComplete="off" {...form.bind('email')} />
          <TextField label={t('displayName')} required {...form.bind('display_name')} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={register.isPending}>
            {register.isPending ? t('saving') : t('registerExpert')}
          </button>
        </div>
      </form>
    </section>
  );
}
