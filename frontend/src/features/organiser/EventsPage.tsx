import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useEvents, useOrganises } from '@/lib/api/queries';
import { formatDate, formatDateTime } from '@/lib/format';

import { EventFields, eventBody, type EventFieldName } from './EventFields';

const EMPTY: Record<EventFieldName, string> = {
  name: '',
  venue: '',
  c1_date: '',
  competition_days: '4',
  registration_deadline: '',
  time_zone: 'Asia/Shanghai',
};

/** All events the person can see; administrators and organisers also create events here. */
export function EventsPage() {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const events = useEvents();
  // An organiser who starts an event organises it (the server gives them the role).
  const mayCreate = useOrganises();

  return (
    <>
      <PageTitle>{t('eventsTitle')}</PageTitle>
      <QueryView query={events}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('noEvents')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('eventName')}</th>
                    <th scope="col">{t('venue')}</th>
                    <th scope="col">{t('c1Date')}</th>
                    <th scope="col">{t('deadline')}</th>
                    <th scope="col">{t('status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <Link to={`/events/${e.id}`}>{e.name}</Link>
                      </td>
                      <td>{e.venue}</td>
                      <td>{formatDate(e.c1_date, locale)}</td>
                      <td>{formatDateTime(e.registration_deadline, locale, e.time_zone)}</td>
                      <td>
                        <span className={`badge badge-${e.status}`}>{t(`status_${e.status}`)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      {mayCreate && <CreateEventForm />}
    </>
  );
}

function CreateEventForm() {
  const { t } = useTranslation('organiser');
  const client = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm(EMPTY);
  const create = useMutation({
    mutationFn: () => unwrap(client.POST('/api/v1/events', { body: eventBody(form.values) })),
    onSuccess: (event) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.events });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      void navigate(`/events/${event.id}`);
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });

  return (
    <section className="card" aria-labelledby="create-event">
      <h2 id="create-event">{t('createEvent')}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          form.setProblem(null);
          create.mutate();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        <EventFields bind={form.bind} />
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={create.isPending}>
            {create.isPending ? t('saving') : t('createEvent')}
          </button>
        </div>
      </form>
    </section>
  );
}
