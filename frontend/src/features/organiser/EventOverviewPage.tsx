import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { MarkingSummary, ResultsSummary } from '@/components/dashboard';
import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { RecordTable, type Column } from '@/components/RecordList';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useDashboard, useEvent, type Event, type SkillDashboard } from '@/lib/api/queries';
import { formatDate, formatDateTime, formatNumber, toLocalInput } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { EventFields, eventBody } from './EventFields';
import { EVENT_STATUSES, nextStatus } from './status';

export function EventOverviewPage() {
  const { eventId = '' } = useParams();
  const event = useEvent(eventId);
  return <QueryView query={event}>{(e) => <EventOverview event={e} />}</QueryView>;
}

function EventOverview({ event }: { event: Event }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  return (
    <>
      <PageTitle>{event.name}</PageTitle>
      <StatusCard event={event} />
      <DashboardCard eventId={event.id} />
      <section className="card" aria-labelledby="calendar">
        <h2 id="calendar">{t('calendar')}</h2>
        <p>
          {t('deadline')}: <strong>{formatDateTime(event.registration_deadline, locale, event.time_zone)}</strong> (
          {event.time_zone})
        </p>
        <ul className="day-list">
          {event.days.map((d) => (
            <li key={d.label}>
              <span className="day-label">{d.label}</span> {formatDate(d.date, locale)}
            </li>
          ))}
        </ul>
      </section>
      <EditEventForm key={event.version} event={event} />
    </>
  );
}

/** Per skill: marking progress and results, with the event's totals. */
function DashboardCard({ eventId }: { eventId: string }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const dashboard = useDashboard(eventId);
  const columns: Column<SkillDashboard>[] = [
    {
      header: t('dashSkill'),
      rowHeader: true,
      cell: (d) => (
        <Link to={`/events/${eventId}/skills/${d.skill_id}/progress`}>
          {d.results.skill_number} {locale === 'en' ? d.results.skill_name_en : d.results.skill_name_zh}
        </Link>
      ),
    },
    { header: t('dashMarking'), cell: (d) => <MarkingSummary marking={d.marking} /> },
    { header: t('dashResults'), cell: (d) => <ResultsSummary status={d.results} /> },
  ];
  return (
    <section className="card" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">{t('dashTitle')}</h2>
      <QueryView query={dashboard}>
        {(list) => (
          <>
            <p className="muted">
              {t('dashTotals', {
                skills: formatNumber(list.length, locale),
                ratified: formatNumber(list.filter((d) => d.results.state !== 'draft').length, locale),
                public: formatNumber(list.filter((d) => d.results.audience === 'public').length, locale),
              })}
            </p>
            <RecordTable
              items={list}
              columns={columns}
              rowKey={(d) => d.skill_id}
              testId="dashboard"
              rowData={(d) => ({ 'data-skill': d.results.skill_number })}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}

function StatusCard({ event }: { event: Event }) {
  const { t } = useTranslation('organiser');
  const client = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const next = nextStatus(event.status);
  const change = useMutation({
    mutationFn: (status: Event['status']) =>
      unwrap(
        client.POST('/api/v1/events/{id}/status', {
          params: { path: { id: event.id } },
          body: { status, version: event.version },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.event(event.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.events });
      setConfirming(false);
    },
    onError: (error) => {
      setProblem(problemOf(error));
      setConfirming(false);
    },
  });

  return (
    <section className="card" aria-labelledby="status-heading">
      <h2 id="status-heading">{t('status')}</h2>
      <ol className="status-steps">
        {EVENT_STATUSES.map((s) => (
          <li key={s} aria-current={s === event.status ? 'step' : undefined} className={s === event.status ? 'current' : ''}>
            {t(`status_${s}`)}
          </li>
        ))}
      </ol>
      <ProblemAlert problem={problem} />
      {next !== null && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setProblem(null);
            setConfirming(true);
          }}
        >
          {t('moveTo', { status: t(`status_${next}`) })}
        </button>
      )}
      {next !== null && (
        <ConfirmDialog
          open={confirming}
          title={t('confirmStatusTitle', { status: t(`status_${next}`) })}
          confirmLabel={t('moveTo', { status: t(`status_${next}`) })}
          busy={change.isPending}
          onConfirm={() => change.mutate(next)}
          onCancel={() => setConfirming(false)}
        >
          <p>{t(`statusEffect_${next}`)}</p>
          <p className="muted">{t('statusIrreversible')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function EditEventForm({ event }: { event: Event }) {
  const { t } = useTranslation('organiser');
  const client = useApi();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm({
    name: event.name,
    venue: event.venue,
    c1_date: event.c1_date,
    competition_days: String(event.competition_days),
    registration_deadline: toLocalInput(event.registration_deadline, event.time_zone),
    time_zone: event.time_zone,
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        client.PUT('/api/v1/events/{id}', {
          params: { path: { id: event.id } },
          body: eventBody(form.values, event.version),
        }),
      ),
    onSuccess: (updated) => {
      setSaved(true);
      queryClient.setQueryData(queryKeys.event(event.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.events });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="settings">
      <h2 id="settings">{t('settings')}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          form.setProblem(null);
          save.mutate();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        <div role="status">{saved && <p className="notice notice-success">{t('saved')}</p>}</div>
        <EventFields bind={form.bind} />
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={save.isPending}>
            {save.isPending ? t('saving') : t('save')}
          </button>
        </div>
      </form>
    </section>
  );
}
