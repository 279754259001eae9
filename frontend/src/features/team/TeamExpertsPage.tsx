import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { FormCard, RecordTable, type Column } from '@/components/RecordList';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useEvent, useExperts, useSkills, type Expert, type Skill } from '@/lib/api/queries';

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
  const columns: Column<Expert>[] = [
    { header: t('displayName'), cell: (x) => x.display_name },
    { header: t('skill'), cell: (x) => skillName(x.skill_id) },
    { header: t('position'), cell: (x) => t(`position_${x.position}` as 'position_expert') },
  ];
  return (
    <>
      <PageTitle>{t('expertsTitle')}</PageTitle>
      {event.data !== undefined && <DeadlineBanner event={event.data} />}
      <QueryView query={experts}>
        {(list) => (
          <RecordTable
            items={list.filter((x) => x.delegation_id === delegationId)}
            columns={columns}
            rowKey={(x) => x.id}
            empty={t('noExperts')}
          />
        )}
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
    <FormCard
      id="register-expert"
      title={t('registerExpert')}
      form={form}
      notice={done}
      submitLabel={t('registerExpert')}
      busy={register.isPending}
      busyLabel={t('saving')}
      onSubmit={() => {
        setDone(null);
        register.mutate();
      }}
    >
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
    </FormCard>
  );
}
