import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { MarkingSummary, ResultsSummary } from '@/components/dashboard';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { FormCard, RecordTable, type Column } from '@/components/RecordList';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useDashboard, useSkills, type Schemas, type Skill } from '@/lib/api/queries';


interface SkillFields {
  number: string;
  name_zh: string;
  name_en: string;
  sector: string;
  age_limit: string;
  team_size: string;
  workstation_count: string;
  max_entries_per_delegation: string;
}

function fieldsOf(skill: Skill): SkillFields {
  return {
    number: skill.number,
    name_zh: skill.name_zh,
    name_en: skill.name_en,
    sector: skill.sector,
    age_limit: String(skill.age_limit),
    team_size: String(skill.team_size),
    workstation_count: String(skill.workstation_count),
    max_entries_per_delegation: String(skill.max_entries_per_delegation),
  };
}

const EMPTY: SkillFields = {
  number: '',
  name_zh: '',
  name_en: '',
  sector: '',
  age_limit: '22',
  team_size: '1',
  workstation_count: '1',
  max_entries_per_delegation: '1',
};

/** Empty number fields are left out, so the server's defaults apply. */
export function skillBody(values: SkillFields, version?: number): Schemas['SkillRequest'] {
  const number = (value: string) => (value.trim() === '' ? null : Number(value));
  const body: Schemas['SkillRequest'] = {
    number: values.number.trim(),
    name_zh: values.name_zh.trim(),
    name_en: values.name_en.trim(),
    sector: values.sector.trim(),
    age_limit: number(values.age_limit),
    team_size: number(values.team_size),
    workstation_count: number(values.workstation_count),
    max_entries_per_delegation: number(values.max_entries_per_delegation),
  };
  if (version !== undefined) body.version = version;
  return body;
}

export function SkillsPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const skills = useSkills(eventId);
  const [editing, setEditing] = useState<Skill | null>(null);
  const dashboard = useDashboard(eventId);
  const progressOf = new Map((dashboard.data ?? []).map((d) => [d.skill_id, d]));
  const columns: Column<Skill>[] = [
    { header: t('skillNumber'), cell: (s) => s.number },
    { header: t('skillName'), cell: (s) => (locale === 'en' ? s.name_en : s.name_zh) },
    { header: t('sector'), cell: (s) => s.sector },
    { header: t('ageLimit'), cell: (s) => s.age_limit, className: 'num' },
    { header: t('teamSize'), cell: (s) => s.team_size, className: 'num' },
    { header: t('workstations'), cell: (s) => s.workstation_count, className: 'num' },
    {
      header: t('marking'),
      cell: (s) => {
        const d = progressOf.get(s.id);
        return (
          <>
            <Link to={`/events/${eventId}/skills/${s.id}/progress`}>{t('markingLink')}</Link>
            {d !== undefined && (
              <>
                {' '}
                <MarkingSummary marking={d.marking} />
              </>
            )}
          </>
        );
      },
    },
    { header: t('dashResults'), cell: (s) => { const d = progressOf.get(s.id); return d === undefined ? null : <ResultsSummary status={d.results} />; } },
  ];
  return (
    <>
      <PageTitle>{t('skillsTitle')}</PageTitle>
      <QueryView query={skills}>
        {(list) => (
          <RecordTable
            items={list}
            columns={columns}
            rowKey={(s) => s.id}
            empty={t('noSkills')}
            edit={{ label: t('edit'), name: (s) => t('editSkill', { number: s.number }), onEdit: setEditing }}
          />
        )}
      </QueryView>
      {editing === null ? (
        <SkillForm eventId={eventId} />
      ) : (
        <SkillForm key={`${editing.id}:${editing.version}`} eventId={eventId} skill={editing} onDone={() => setEditing(null)} />
      )}
    </>
  );
}

/** Adds a skill, or (given one) changes its settings; a stale version gets the server's 409. */
function SkillForm({ eventId, skill, onDone }: { eventId: string; skill?: Skill; onDone?: () => void }) {
  const { t } = useTranslation('organiser');
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm(skill === undefined ? EMPTY : fieldsOf(skill));
  const save = useMutation({
    mutationFn: () =>
      skill === undefined
        ? unwrap(client.POST('/api/v1/events/{id}/skills', { params: { path: { id: eventId } }, body: skillBody(form.values) }))
        : unwrap(client.PUT('/api/v1/skills/{id}', { params: { path: { id: skill.id } }, body: skillBody(form.values, skill.version) })),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.skills(eventId) });
      onDone?.();
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <FormCard
      id="add-skill"
      title={skill === undefined ? t('addSkill') : t('editSkill', { number: skill.number })}
      form={form}
      submitLabel={skill === undefined ? t('addSkill') : t('save')}
      busy={save.isPending}
      busyLabel={t('saving')}
      onSubmit={() => save.mutate()}
      onCancel={onDone}
    >
      <TextField label={t('skillNumber')} hint={t('skillNumberHint')} required {...form.bind('number')} />
      <TextField label={t('nameZh')} required lang="zh-CN" {...form.bind('name_zh')} />
      <TextField label={t('nameEn')} required lang="en" {...form.bind('name_en')} />
      <TextField label={t('sector')} {...form.bind('sector')} />
      <TextField label={t('ageLimit')} type="number" min={10} max={99} hint={t('ageLimitHint')} {...form.bind('age_limit')} />
      <SelectField label={t('teamSize')} {...form.bind('team_size')}>
        <option value="1">{t('teamSize1')}</option>
        <option value="2">{t('teamSizeN', { n: 2 })}</option>
        <option value="3">{t('teamSizeN', { n: 3 })}</option>
      </SelectField>
      <TextField label={t('workstations')} type="number" min={1} {...form.bind('workstation_count')} />
      <TextField label={t('maxEntries')} type="number" min={1} {...form.bind('max_entries_per_delegation')} />
    </FormCard>
  );
}
