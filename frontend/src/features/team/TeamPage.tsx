import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { SelectionPathLink } from '@/components/SelectionPathLink';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import {
  queryKeys,
  useAllEntries,
  useApi,
  useEvent,
  useSkills,
  type Entry,
  type Event,
  type Skill,
} from '@/lib/api/queries';
import { useDelegation } from '@/lib/delegation';
import { formatDate, formatDateTime, timeUntil } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { CompetitorDetails } from './CompetitorDetails';
import { competitorBody, CompetitorFields } from './CompetitorFields';
import { eligibility } from './eligibility';

/**
 * A team leader's delegation: the deadline, its entries and their competitors. Everything the
 * screen shows is asked for at once (event, skills, entries, delegation name), not one after
 * the other: on a tablet's network each wait is a round trip.
 */
export function TeamPage() {
  const { eventId = '', delegationId = '' } = useParams();
  const event = useEvent(eventId);
  const skills = useSkills(eventId);
  const entries = useAllEntries(eventId, { delegation_id: delegationId });
  const { name } = useDelegation(eventId, delegationId);
  return (
    <QueryView query={event}>
      {(e) => (
        <QueryView query={skills}>
          {(ss) => <TeamEntries event={e} skills={ss} delegationId={delegationId} entries={entries} name={name} />}
        </QueryView>
      )}
    </QueryView>
  );
}

export function DeadlineBanner({ event }: { event: Event }) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const left = timeUntil(event.registration_deadline);
  const when = formatDateTime(event.registration_deadline, locale, event.time_zone);
  return (
    <p className={left?.past === true ? 'notice notice-error deadline' : 'notice deadline'}>
      {left === null || left.past
        ? t('deadlinePassed', { when })
        : t('deadlineIn', { when, days: left.days, hours: left.hours })}
    </p>
  );
}

function TeamEntries({
  event,
  skills,
  delegationId,
  entries,
  name,
}: {
  event: Event;
  skills: Skill[];
  delegationId: string;
  entries: ReturnType<typeof useAllEntries>;
  name: string;
}) {
  const { t } = useTranslation('team');
  return (
    <>
      <PageTitle>{t('entriesTitle', { delegation: name })}</PageTitle>
      <DeadlineBanner event={event} />
      <QueryView query={entries}>
        {(list) => (
          <>
            {list.length === 0 && <p className="muted">{t('noEntries')}</p>}
            {list.map((entry) => (
              <EntryCard key={entry.id} event={event} entry={entry} skill={skills.find((s) => s.id === entry.skill_id)} />
            ))}
            <RegisterEntryForm event={event} skills={skills} delegationId={delegationId} entries={list} />
          </>
        )}
      </QueryView>
    </>
  );
}

function RegisterEntryForm({
  event,
  skills,
  delegationId,
  entries,
}: {
  event: Event;
  skills: Skill[];
  delegationId: string;
  entries: Entry[];
}) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const open = skills.filter(
    (s) => entries.filter((e) => e.skill_id === s.id && e.status !== 'withdrawn').length < s.max_entries_per_delegation,
  );
  const form = useForm({ skill_id: '' });
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/events/{id}/entries', {
          params: { path: { id: event.id } },
          body: { skill_id: form.values.skill_id, delegation_id: delegationId },
        }),
      ),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(event.id) });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="register-entry">
      <h2 id="register-entry">{t('registerEntry')}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          form.setProblem(null);
          register.mutate();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        <SelectField label={t('skill')} required {...form.bind('skill_id')}>
          <option value="">{t('chooseSkill')}</option>
          {open.map((s) => (
            <option key={s.id} value={s.id}>
              {s.number} {locale === 'en' ? s.name_en : s.name_zh}
              {s.team_size > 1 ? ` (${t('teamOf', { n: s.team_size })})` : ''}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={register.isPending}>
            {register.isPending ? t('saving') : t('registerEntry')}
          </button>
        </div>
      </form>
    </section>
  );
}

function EntryCard({ event, entry, skill }: { event: Event; entry: Entry; skill: Skill | undefined }) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const teamSize = skill?.team_size ?? 1;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(event.id) });
  const changeStatus = useMutation({
    mutationFn: (status: Entry['status']) =>
      unwrap(client.POST('/api/v1/entries/{id}/status', { params: { path: { id: entry.id } }, body: { status, version: entry.version } })),
    onSuccess: () => {
      setWithdrawing(false);
      refresh();
    },
    onError: (error) => {
      setWithdrawing(false);
      setProblem(problemOf(error));
    },
  });
  const remove = useMutation({
    mutationFn: (competitorId: string) => unwrap(client.DELETE('/api/v1/competitors/{id}', { params: { path: { id: competitorId } } })),
    onSuccess: refresh,
    onError: (error) => setProblem(problemOf(error)),
  });
  const title = skill === undefined ? entry.skill_id : `${skill.number} ${locale === 'en' ? skill.name_en : skill.name_zh}`;
  const headingId = `entry-${entry.id}`;
  return (
    <section className="card entry-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <span className={`badge badge-${entry.status}`}>{t(`entryStatus_${entry.status}`)}</span>
      </h2>
      <p className="muted">
        {t('teamProgress', { filled: entry.competitors.length, size: teamSize })}
        {entry.workstation != null && ` · ${t('workstation', { n: entry.workstation })}`}
        {entry.status === 'confirmed' && (
          <>
            {' · '}
            <SelectionPathLink entryId={entry.id} />
          </>
        )}
      </p>
      <ProblemAlert problem={problem} />
      {entry.competitors.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('gender')}</th>
                <th scope="col">{t('birthDate')}</th>
                <th scope="col">{t('idNumber')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entry.competitors.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{t(`gender_${c.gender}`)}</td>
                  <td>{c.birth_date == null ? '' : formatDate(c.birth_date, locale)}</td>
                  <td>
                    <code>{c.id_number}</code>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={t('detailsOfButton', { name: c.name })}
                      aria-expanded={open === c.id}
                      onClick={() => setOpen(open === c.id ? null : c.id)}
                    >
                      {t('details')}
                    </button>
                    {entry.status === 'registered' && (
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-label={t('removeCompetitor', { name: c.name })}
                        onClick={() => {
                          setProblem(null);
                          remove.mutate(c.id);
                        }}
                      >
                        {t('remove')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open !== null && skill !== undefined && entry.competitors.some((c) => c.id === open) && (
        <CompetitorDetails event={event} entry={entry} skill={skill} competitorId={open} onClose={() => setOpen(null)} />
      )}
      {entry.status === 'registered' && entry.competitors.length < teamSize && skill !== undefined && (
        <AddCompetitorForm event={event} entry={entry} skill={skill} />
      )}
      <div className="form-actions">
        {entry.status === 'registered' && (
          <button
            type="button"
            className="button"
            aria-disabled={entry.competitors.length !== teamSize || changeStatus.isPending}
            onClick={() => {
              setProblem(null);
              if (entry.competitors.length === teamSize) changeStatus.mutate('confirmed');
            }}
          >
            {t('confirmEntry')}
          </button>
        )}
        {entry.status === 'confirmed' && (
          <button type="button" className="button button-secondary" onClick={() => changeStatus.mutate('registered')}>
            {t('reopenEntry')}
          </button>
        )}
        {entry.status !== 'withdrawn' && (
          <button type="button" className="button button-secondary" onClick={() => setWithdrawing(true)}>
            {t('withdrawEntry')}
          </button>
        )}
      </div>
      <ConfirmDialog
        open={withdrawing}
        title={t('withdrawTitle', { skill: title })}
        confirmLabel={t('withdrawEntry')}
        busy={changeStatus.isPending}
        onConfirm={() => changeStatus.mutate('withdrawn')}
        onCancel={() => setWithdrawing(false)}
      >
        <p>{t('withdrawText')}</p>
      </ConfirmDialog>
    </section>
  );
}

function AddCompetitorForm({ event, entry, skill }: { event: Event; entry: Entry; skill: Skill }) {
  const { t } = useTranslation('team');
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm({ name: '', gender: '', birth_date: '', id_number: '' });
  const check = eligibility(form.values.birth_date, event.c1_date, skill.age_limit);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/entries/{id}/competitors', {
          params: { path: { id: entry.id } },
          body: competitorBody(form.values),
        }),
      ),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(event.id) });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <form
      className="form add-competitor"
      noValidate
      aria-label={t('addCompetitorTo', { skill: skill.number })}
      onSubmit={(e) => {
        e.preventDefault();
        form.setProblem(null);
        // The server refuses it too; saying so before sending saves a round trip.
        if (check.state === 'too_old') return;
        add.mutate();
      }}
    >
      <h3>{t('addCompetitor')}</h3>
      <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
      <CompetitorFields bind={form.bind} event={event} skill={skill} check={check} chooseGender />
      <div className="form-actions">
        <button type="submit" className="button" aria-disabled={add.isPending || check.state === 'too_old'}>
          {add.isPending ? t('saving') : t('addCompetitor')}
        </button>
      </div>
    </form>
  );
}
