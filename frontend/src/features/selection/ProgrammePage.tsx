import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { ConsoleForm, FormCard, RecordTable, type Column } from '@/components/RecordList';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi } from '@/lib/api/queries';
import { fromLocalInput } from '@/lib/format';
import { useLocale } from '@/lib/locale';

import { releaseSquad, selectionKeys, useProgramme, useSquad } from './api';
import { parseSkillNumbers, parseWeights, tieRuleOf, weightsText, type Schemas } from './model';
import { ProposalView } from './ProposalView';
import { SelectionListTable } from './ListTable';
import { ReleaseActions, StatusBadge, TeamSection } from './lists';
import './selection.css';

type Programme = Schemas['Programme'];
type Stage = Schemas['Stage'];
type StageSkill = Schemas['StageSkill'];

/** `/selection/:programmeId`: the programme's stages, each stage skill's rules and proposal, the squads and the team. */
export function ProgrammePage() {
  const { programmeId = '' } = useParams();
  const { t } = useTranslation('selection');
  const programme = useProgramme(programmeId);
  return (
    <>
      <PageTitle>{programme.data?.name ?? t('programmeTitle')}</PageTitle>
      <QueryView query={programme}>
        {(p) => (
          <>
            <p className="muted">
              {t('programmeFacts', { competition: p.target_competition, year: p.target_year })} ·{' '}
              <StatusBadge status={p.status} />
            </p>
            {p.stages.map((stage) => (
              <StageCard key={stage.id} programme={p} stage={stage} />
            ))}
            {!p.stages.some((s) => s.is_final) && <AddStageForm programme={p} />}
            <TeamSection programme={p} />
          </>
        )}
      </QueryView>
    </>
  );
}

export function skillLabel(s: { skill_number: string; skill_name_en: string; skill_name_zh: string }, locale: string): string {
  return `${s.skill_number} ${locale === 'en' ? s.skill_name_en : s.skill_name_zh}`;
}

function StageCard({ programme, stage }: { programme: Programme; stage: Stage }) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const [open, setOpen] = useState<string | null>(null);
  // The rules form starts afresh at each version of the skill's rules (someone else's change
  // included); "saved" belongs to the version the save produced, so it outlives that reset.
  const [savedVersion, setSavedVersion] = useState<string | null>(null);
  const selected = stage.skills.find((s) => s.skill_id === open);
  const panel = useRef<HTMLDivElement>(null);
  // A stage has up to ~50 skills: the opened skill's rules and proposal come below the table, so
  // bring them into view (and the keyboard focus with them).
  useEffect(() => {
    if (open === null) return;
    panel.current?.scrollIntoView({ block: 'start' });
    panel.current?.focus({ preventScroll: true });
  }, [open]);
  const headingId = `stage-${stage.id}`;
  const tieText = (s: StageSkill) =>
    s.tie_rule.rule === 'all_tied_advance' ? t('tie_all_tied_advance') : `${t('tie_higher_in_criterion')} (${s.tie_rule.criterion})`;
  const columns: Column<StageSkill>[] = [
    {
      header: t('skill'),
      rowHeader: true,
      cell: (s) => (
        <>
          {skillLabel(s, locale)}
          {s.training_base != null && <span className="muted"> · {s.training_base}</span>}
        </>
      ),
    },
    { header: t('cut'), num: true, cell: (s) => s.cut },
    { header: t('weights'), cell: (s) => (weightsText(s.weights) === '' ? '—' : s.weights.map((w) => `${w}%`).join(' / ')) },
    { header: t('tieRule'), cell: tieText },
    { header: t('phase'), cell: (s) => t(`phase_${s.phase}`) },
    {
      header: t('confirmedState'),
      cell: (s) => <span className={s.confirmed_at != null ? 'cell-ok' : undefined}>{s.confirmed_at != null ? t('confirmedState') : t('notConfirmed')}</span>,
    },
    {
      header: t('openSkill'),
      hiddenHeader: true,
      cell: (s) => (
        <button
          type="button"
          className="button button-secondary"
          aria-expanded={s.skill_id === open}
          onClick={() => setOpen(s.skill_id === open ? null : s.skill_id)}
        >
          {s.skill_id === open ? t('closeSkill') : t('openSkill')}
        </button>
      ),
    },
  ];
  return (
    <section className="card selection-stage" aria-labelledby={headingId} data-testid={`stage-${stage.position}`}>
      <h2 id={headingId}>
        {t('stageHeading', { position: stage.position, name: stage.event_name })}
        {stage.is_final && <span className="badge badge-confirmed"> {t('finalStage')}</span>}
      </h2>
      <p>
        <Link to={`/events/${stage.event_id}`}>{t('stageEvent')}</Link>
      </p>
      <RecordTable
        items={stage.skills}
        columns={columns}
        rowKey={(s) => s.skill_id}
        empty={t('noLines')}
        rowClassName={(s) => (s.skill_id === open ? 'selection-selected' : undefined)}
      />
      {selected !== undefined && (
        <div className="selection-skill" ref={panel} tabIndex={-1} role="region" aria-label={skillLabel(selected, locale)}>
          {selected.confirmed_at == null ? (
            <RulesForm
              key={`${selected.skill_id}:${selected.version}`}
              programme={programme}
              stage={stage}
              skill={selected}
              saved={savedVersion === `${selected.skill_id}:${selected.version}`}
              onSaved={(version) => setSavedVersion(`${selected.skill_id}:${version}`)}
            />
          ) : (
            <p className="muted">{t('rulesLocked')}</p>
          )}
          <ProposalView programme={programme} stage={stage} skill={selected} />
        </div>
      )}
      <SquadSection programme={programme} stage={stage} />
    </section>
  );
}

type RulesField = 'cut' | 'weights' | 'basis' | 'tie_rule' | 'criterion' | 'training_base';

function RulesForm({
  programme,
  stage,
  skill,
  saved,
  onSaved,
}: {
  programme: Programme;
  stage: Stage;
  skill: StageSkill;
  saved: boolean;
  onSaved: (version: number) => void;
}) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [localError, setLocalError] = useState<Partial<Record<RulesField, string>>>({});
  const form = useForm<RulesField>({
    cut: String(skill.cut),
    weights: weightsText(skill.weights),
    basis: skill.basis,
    tie_rule: skill.tie_rule.rule,
    criterion: skill.tie_rule.rule === 'higher_in_criterion' ? skill.tie_rule.criterion : '',
    training_base: skill.training_base ?? '',
  });
  const save = useMutation({
    mutationFn: (body: Schemas['StageSkillRequest']) =>
      unwrap(
        client.PUT('/api/v1/selection/stages/{id}/skills/{skill}', {
          params: { path: { id: stage.id, skill: skill.skill_id } },
          body,
        }),
      ),
    onSuccess: (updated) => {
      onSaved(updated.version);
      void queryClient.invalidateQueries({ queryKey: selectionKeys.programme(programme.id) });
      void queryClient.invalidateQueries({ queryKey: selectionKeys.proposal(stage.id, skill.skill_id) });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  const bind = (f: RulesField) => {
    const b = form.bind(f);
    return { ...b, error: localError[f] ?? b.error };
  };
  const submit = () => {
    form.setProblem(null);
    const errors: Partial<Record<RulesField, string>> = {};
    const weights = parseWeights(form.values.weights, stage.position);
    if (weights === 'invalid') errors.weights = t('weightsInvalid', { count: stage.position });
    const tie = tieRuleOf(form.values.tie_rule, form.values.criterion);
    if (tie === null) errors.criterion = t('criterionMissing');
    setLocalError(errors);
    if (weights === 'invalid' || tie === null) return;
    const body: Schemas['StageSkillRequest'] = {
      cut: Number(form.values.cut),
      basis: form.values.basis === 'percentage' ? 'percentage' : 'ws_scale',
      tie_rule: tie,
      training_base: form.values.training_base.trim() === '' ? null : form.values.training_base.trim(),
      version: skill.version,
    };
    if (weights !== null) body.weights = weights;
    save.mutate(body);
  };
  const headingId = `rules-${stage.id}-${skill.skill_id}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('rulesHeading', { position: stage.position, skill: skillLabel(skill, locale) })}</h3>
      <ConsoleForm
        form={form}
        notice={saved ? t('rulesSaved') : null}
        submitLabel={t('saveRules')}
        busy={save.isPending}
        busyLabel={t('saving')}
        onSubmit={submit}
      >
        <TextField label={t('cut')} hint={t('cutHint')} type="number" inputMode="numeric" min={1} max={100} required {...bind('cut')} />
        {stage.position > 1 && (
          <TextField label={t('weightsField')} hint={t('weightsHint')} optionalText={t('optional')} {...bind('weights')} />
        )}
        {stage.position > 1 && (
          <SelectField label={t('basis')} {...bind('basis')}>
            <option value="ws_scale">{t('basis_ws_scale')}</option>
            <option value="percentage">{t('basis_percentage')}</option>
          </SelectField>
        )}
        <SelectField label={t('tieRule')} {...bind('tie_rule')}>
          <option value="all_tied_advance">{t('tie_all_tied_advance')}</option>
          <option value="higher_in_criterion">{t('tie_higher_in_criterion')}</option>
        </SelectField>
        {form.values.tie_rule === 'higher_in_criterion' && <TextField label={t('tieCriterion')} required {...bind('criterion')} />}
        <TextField label={t('trainingBase')} hint={t('trainingBaseHint')} optionalText={t('optional')} {...bind('training_base')} />
      </ConsoleForm>
    </section>
  );
}

function SquadSection({ programme, stage }: { programme: Programme; stage: Stage }) {
  const { t } = useTranslation('selection');
  const squad = useSquad(stage.id);
  const headingId = `squad-${stage.id}`;
  return (
    <section aria-labelledby={headingId} className="selection-list">
      <h3 id={headingId}>{t('squadHeading')}</h3>
      <QueryView query={squad}>
        {(list) => (
          <>
            <SelectionListTable list={list} empty={t('squadEmpty')} />
            {list.lines.length > 0 && (
              <ReleaseActions
                audience={stage.audience}
                publicHref={`/results/selection/stages/${stage.id}`}
                release={(client, audience) => releaseSquad(client, stage.id, audience)}
                invalidate={[selectionKeys.programme(programme.id), selectionKeys.squad(stage.id)]}
              />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

type StageField = 'name' | 'venue' | 'c1_date' | 'registration_deadline' | 'time_zone' | 'skill_numbers' | 'is_final';

function AddStageForm({ programme }: { programme: Programme }) {
  const { t } = useTranslation('selection');
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm<StageField>({
    name: '',
    venue: '',
    c1_date: '',
    registration_deadline: '',
    time_zone: 'Asia/Shanghai',
    skill_numbers: '',
    is_final: '',
  });
  const add = useMutation({
    mutationFn: () => {
      const v = form.values;
      const zone = v.time_zone.trim() === '' ? 'Asia/Shanghai' : v.time_zone.trim();
      const body: Schemas['StageRequest'] = {
        event: {
          name: v.name.trim(),
          venue: v.venue.trim(),
          c1_date: v.c1_date,
          registration_deadline: v.registration_deadline === '' ? '' : fromLocalInput(v.registration_deadline, zone),
          time_zone: zone,
        },
        is_final: v.is_final === 'yes',
      };
      const numbers = parseSkillNumbers(v.skill_numbers);
      if (numbers !== undefined) body.skill_numbers = numbers;
      return unwrap(client.POST('/api/v1/selection/programmes/{id}/stages', { params: { path: { id: programme.id } }, body }));
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(selectionKeys.programme(programme.id), updated);
      void queryClient.invalidateQueries({ queryKey: selectionKeys.programmes });
      form.reset();
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  // The server names the nested event's fields `event.name` …; place them next to ours.
  const bind = (f: StageField) => form.bind(f);
  return (
    <FormCard
      id="add-stage"
      title={t('addStage')}
      intro={t('addStageIntro')}
      form={form}
      submitLabel={t('addStage')}
      busy={add.isPending}
      busyLabel={t('saving')}
      onSubmit={() => add.mutate()}
      extra={
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.values.is_final === 'yes'}
            onChange={(e) => form.setValue('is_final', e.target.checked ? 'yes' : '')}
          />{' '}
          {t('isFinal')}
        </label>
      }
    >
        <TextField label={t('stageName')} hint={t('stageNameHint')} required {...bind('name')} />
        <TextField label={t('venue')} optionalText={t('optional')} {...bind('venue')} />
        <TextField label={t('c1Date')} type="date" required {...bind('c1_date')} />
        <TextField label={t('deadline')} type="datetime-local" required {...bind('registration_deadline')} />
        <TextField label={t('timeZone')} {...bind('time_zone')} />
        <TextField label={t('skillNumbers')} hint={t('skillNumbersHint')} optionalText={t('optional')} {...bind('skill_numbers')} />
    </FormCard>
  );
}
