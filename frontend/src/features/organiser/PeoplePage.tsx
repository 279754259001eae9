import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { Pagination } from '@/components/Pagination';
import { QueryView } from '@/components/QueryView';
import { FormCard, RecordTable, type Column } from '@/components/RecordList';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { useAddressState } from '@/lib/addressState';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useDelegations, useExperts, useSkills, type Delegation, type Expert, type Skill } from '@/lib/api/queries';

/** Invitations: team leaders (one per delegation), experts, chief and deputy chief experts. */
export function PeoplePage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const skills = useSkills(eventId);
  const delegations = useDelegations(eventId);
  return (
    <>
      <PageTitle>{t('peopleTitle')}</PageTitle>
      <QueryView query={delegations}>
        {(ds) => (
          <QueryView query={skills}>
            {(ss) => (
              <>
                <InviteTeamLeaderForm delegations={ds} />
                <RegisterExpertForm eventId={eventId} skills={ss} delegations={ds} />
                <ExpertList eventId={eventId} skills={ss} delegations={ds} />
              </>
            )}
          </QueryView>
        )}
      </QueryView>
    </>
  );
}

function InviteTeamLeaderForm({ delegations }: { delegations: Delegation[] }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const client = useApi();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ delegation_id: delegations[0]?.id ?? '', email: '', display_name: '' });
  const invite = useMutation({
    // Organisers appoint a delegation's team leader: a new address is invited, an existing
    // account is given the role.
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/delegations/{id}/team-leaders', {
          params: { path: { id: form.values.delegation_id } },
          body: { email: form.values.email.trim(), display_name: form.values.display_name.trim(), locale },
        }),
      ),
    onSuccess: (appointed) => {
      const email = form.values.email.trim();
      setSentTo(appointed.invitation_sent ? t('invitationSent', { email }) : t('teamLeaderAppointed', { email }));
      form.setValues((v) => ({ ...v, email: '', display_name: '' }));
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <FormCard
      id="invite-leader"
      title={t('inviteTeamLeader')}
      form={form}
      notice={sentTo}
      submitLabel={t('sendInvitation')}
      busy={invite.isPending}
      busyLabel={t('sending')}
      onSubmit={() => {
        setSentTo(null);
        invite.mutate();
      }}
    >
      <SelectField label={t('delegation')} {...form.bind('delegation_id')}>
        {delegations.map((d) => (
          <option key={d.id} value={d.id}>
            {d.code} {locale === 'en' ? d.name_en : d.name_zh}
          </option>
        ))}
      </SelectField>
      <TextField label={t('email')} type="email" required autoComplete="off" {...form.bind('email')} />
      <TextField label={t('displayName')} required {...form.bind('display_name')} />
    </FormCard>
  );
}

function RegisterExpertForm({ eventId, skills, delegations }: { eventId: string; skills: Skill[]; delegations: Delegation[] }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({
    skill_id: skills[0]?.id ?? '',
    delegation_id: delegations[0]?.id ?? '',
    position: 'expert',
    email: '',
    display_name: '',
  });
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/events/{id}/experts', {
          params: { path: { id: eventId } },
          body: {
            skill_id: form.values.skill_id,
            delegation_id: form.values.delegation_id,
            position: form.values.position,
            email: form.values.email.trim(),
            display_name: form.values.display_name.trim(),
            locale,
          },
        }),
      ),
    onSuccess: (result) => {
      setDone(result.invitation_sent ? t('invitationSent', { email: form.values.email }) : t('expertLinked'));
      form.setValues((v) => ({ ...v, email: '', display_name: '' }));
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
      busyLabel={t('sending')}
      onSubmit={() => {
        setDone(null);
        register.mutate();
      }}
    >
      <SelectField label={t('skill')} {...form.bind('skill_id')}>
        {skills.map((s) => (
          <option key={s.id} value={s.id}>
            {s.number} {locale === 'en' ? s.name_en : s.name_zh}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('delegation')} {...form.bind('delegation_id')}>
        {delegations.map((d) => (
          <option key={d.id} value={d.id}>
            {d.code} {locale === 'en' ? d.name_en : d.name_zh}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('position')} {...form.bind('position')}>
        {(['expert', 'chief_expert', 'deputy_chief_expert'] as const).map((p) => (
          <option key={p} value={p}>
            {t(`position_${p}`)}
          </option>
        ))}
      </SelectField>
      <TextField label={t('email')} type="email" required autoComplete="off" {...form.bind('email')} />
      <TextField label={t('displayName')} required {...form.bind('display_name')} />
    </FormCard>
  );
}

const PER_PAGE = 50;

/** The experts matching `search` (name, skill number, delegation code), in skill order. */
export function expertRows(experts: readonly Expert[], skillOf: Map<string, string>, codeOf: Map<string, string>, search: string): Expert[] {
  const needle = search.trim().toLowerCase();
  return experts
    .filter(
      (x) =>
        needle === '' ||
        [x.display_name, skillOf.get(x.skill_id) ?? '', codeOf.get(x.delegation_id) ?? ''].some((v) => v.toLowerCase().includes(needle)),
    )
    .sort((a, b) => (skillOf.get(a.skill_id) ?? '').localeCompare(skillOf.get(b.skill_id) ?? '') || a.display_name.localeCompare(b.display_name));
}

function ExpertList({ eventId, skills, delegations }: { eventId: string; skills: Skill[]; delegations: Delegation[] }) {
  const { t } = useTranslation('organiser');
  const experts = useExperts(eventId);
  // Search and page live in the address: a reload or a shared link shows the same page.
  const address = useAddressState();
  const search = address.get('q');
  const page = address.page;
  const skillOf = new Map(skills.map((s) => [s.id, s.number]));
  const codeOf = new Map(delegations.map((d) => [d.id, d.code]));
  const columns: Column<Expert>[] = [
    { header: t('displayName'), cell: (x) => x.display_name, className: 'nowrap' },
    { header: t('skill'), cell: (x) => skillOf.get(x.skill_id) },
    { header: t('delegation'), cell: (x) => codeOf.get(x.delegation_id) },
    { header: t('position'), cell: (x) => t(`position_${x.position}` as 'position_expert') },
  ];
  return (
    <section className="card" aria-labelledby="expert-list">
      <h2 id="expert-list">{t('expertsTitle')}</h2>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t('search')} type="search" name="q" value={search} hint={t('expertSearchHint')} onChange={(e) => address.set({ q: e.target.value })} />
      </form>
      <QueryView query={experts}>
        {(list) => {
          const rows = expertRows(list, skillOf, codeOf, search);
          return (
            <>
              <RecordTable items={rows.slice((page - 1) * PER_PAGE, page * PER_PAGE)} columns={columns} rowKey={(x) => x.id} empty={list.length === 0 ? t('noExperts') : t('noMatches')} />
              <Pagination page={page} perPage={PER_PAGE} total={rows.length} onPage={(p) => address.set({ page: p })} />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
