import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi, useEvents, useMe } from '@/lib/api/queries';
import { useLocale } from '@/lib/locale';
import { formatNumber } from '@/lib/format';

import { selectionKeys, useProgrammes } from './api';
import './selection.css';

/** `/selection`: the programmes the organiser manages, and where a new one starts. */
export function ProgrammesPage() {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const programmes = useProgrammes();
  const me = useMe();
  const mayCreate = me.data?.roles.some((r) => r.role === 'admin' || r.role === 'organiser') === true;
  return (
    <>
      <PageTitle>{t('programmesTitle')}</PageTitle>
      <p className="muted">{t('programmesIntro')}</p>
      <QueryView query={programmes}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('noProgrammes')}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="programmes">
                <thead>
                  <tr>
                    <th scope="col">{t('programmeName')}</th>
                    <th scope="col">{t('targetCompetition')}</th>
                    <th scope="col" className="num">
                      {t('targetYear')}
                    </th>
                    <th scope="col">{t('stages')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">
                        <Link to={`/selection/${p.id}`}>{p.name}</Link>{' '}
                        <span className={`badge badge-${p.status === 'active' ? 'confirmed' : 'registration'}`}>{t(`status_${p.status}`)}</span>
                      </th>
                      <td>{p.target_competition}</td>
                      <td className="num">{p.target_year}</td>
                      <td>{t('stagesCount', { count: formatNumber(p.stages.length, locale) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      {mayCreate && <CreateProgrammeForm />}
    </>
  );
}

type Field = 'name' | 'target_competition' | 'target_year' | 'event_id';

function CreateProgrammeForm() {
  const { t } = useTranslation('selection');
  const client = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const events = useEvents();
  const form = useForm<Field>({ name: '', target_competition: '', target_year: String(new Date().getFullYear() + 1), event_id: '' });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/selection/programmes', {
          body: {
            name: form.values.name.trim(),
            target_competition: form.values.target_competition.trim(),
            target_year: Number(form.values.target_year),
            event_id: form.values.event_id,
          },
        }),
      ),
    onSuccess: (programme) => {
      void queryClient.invalidateQueries({ queryKey: selectionKeys.programmes });
      void navigate(`/selection/${programme.id}`);
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="create-programme">
      <h2 id="create-programme">{t('createProgramme')}</h2>
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
        <div className="form-grid">
          <TextField label={t('programmeName')} hint={t('programmeNameHint')} required {...form.bind('name')} />
          <TextField label={t('targetCompetition')} hint={t('targetCompetitionHint')} required {...form.bind('target_competition')} />
          <TextField label={t('targetYear')} hint={t('targetYearHint')} type="number" inputMode="numeric" min={2000} max={2100} required {...form.bind('target_year')} />
          <SelectField label={t('firstEvent')} hint={t('firstEventHint')} required {...form.bind('event_id')}>
            <option value="">{t('chooseEvent')}</option>
            {(events.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={create.isPending}>
            {create.isPending ? t('saving') : t('createProgramme')}
          </button>
        </div>
      </form>
    </section>
  );
}
