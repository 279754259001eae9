import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { FormCard, RecordTable, type Column } from '@/components/RecordList';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi, useEvents, useOrganises } from '@/lib/api/queries';
import { useLocale } from '@/lib/locale';
import { formatNumber } from '@/lib/format';

import { selectionKeys, useProgrammes } from './api';
import { StatusBadge } from './lists';
import type { Schemas } from './model';
import './selection.css';

/** `/selection`: the programmes the organiser manages, and where a new one starts. */
export function ProgrammesPage() {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const programmes = useProgrammes();
  const mayCreate = useOrganises();
  const columns: Column<Schemas['Programme']>[] = [
    {
      header: t('programmeName'),
      rowHeader: true,
      cell: (p) => (
        <>
          <Link to={`/selection/${p.id}`}>{p.name}</Link> <StatusBadge status={p.status} />
        </>
      ),
    },
    { header: t('targetCompetition'), cell: (p) => p.target_competition },
    { header: t('targetYear'), num: true, cell: (p) => p.target_year },
    { header: t('stages'), cell: (p) => t('stagesCount', { count: formatNumber(p.stages.length, locale) }) },
  ];
  return (
    <>
      <PageTitle>{t('programmesTitle')}</PageTitle>
      <p className="muted">{t('programmesIntro')}</p>
      <QueryView query={programmes}>
        {(list) => <RecordTable items={list} columns={columns} rowKey={(p) => p.id} empty={t('noProgrammes')} testId="programmes" />}
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
    <FormCard
      id="create-programme"
      title={t('createProgramme')}
      form={form}
      submitLabel={t('createProgramme')}
      busy={create.isPending}
      busyLabel={t('saving')}
      onSubmit={() => create.mutate()}
    >
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
    </FormCard>
  );
}
