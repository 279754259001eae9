import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi } from '@/lib/api/queries';

import { PublicationProblem } from './PublicationProblem';
import { publicationKeys } from './api';
import {
  AWARD_MODES,
  formToRules,
  RULE_FIELDS,
  rulesFrozenBy,
  rulesToForm,
  type RuleField,
  type RuleProblem,
  type Schemas,
  type SkillStatus,
} from './model';

type RulesDocument = Schemas['RulesDocument'];

/** The event's result rules; they can change only until the first skill is ratified. */
export function RulesSection({ eventId, statuses }: { eventId: string; statuses: SkillStatus[] }) {
  const { t } = useTranslation('publication');
  const client = useApi();
  const rules = useQuery({
    queryKey: publicationKeys.rules(eventId),
    queryFn: () => unwrap(client.GET('/api/v1/events/{id}/result-rules', { params: { path: { id: eventId } } })),
  });
  const frozenBy = rulesFrozenBy(statuses);
  // Kept here: the form starts afresh from each saved version.
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t('rulesHeading')}</h2>
      <p className="muted">{t('rulesIntro')}</p>
      {frozenBy.length > 0 && <p className="notice">{t('rulesFrozen', { skills: frozenBy.join(', ') })}</p>}
      <QueryView query={rules}>
        {(doc) => (
          <RulesForm key={doc.version} eventId={eventId} doc={doc} frozen={frozenBy.length > 0} onSaved={setSaved} />
        )}
      </QueryView>
      {saved && (
        <p className="notice notice-success" role="status">
          {t('rulesSaved')}
        </p>
      )}
    </section>
  );
}

function RulesForm({
  eventId,
  doc,
  frozen,
  onSaved,
}: {
  eventId: string;
  doc: RulesDocument;
  frozen: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const { t } = useTranslation('publication');
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm(rulesToForm(doc.rules));
  const [local, setLocal] = useState<Partial<Record<RuleField, RuleProblem>>>({});
  // National mode has no medallion: its threshold is kept but not asked for.
  const mode = form.values['awards.mode'] === 'national' ? 'national' : 'worldskills';

  const save = useMutation({
    mutationFn: (body: RulesDocument) =>
      unwrap(client.PUT('/api/v1/events/{id}/result-rules', { params: { path: { id: eventId } }, body })),
    onSuccess: (next) => {
      onSaved(true);
      queryClient.setQueryData(publicationKeys.rules(eventId), next);
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    onSaved(false);
    form.setProblem(null);
    const parsed = formToRules(form.values);
    if (!parsed.ok) {
      setLocal(parsed.problems);
      return;
    }
    setLocal({});
    save.mutate({ rules: parsed.rules, version: doc.version });
  };

  const field = (name: RuleField) => {
    const bound = form.bind(name);
    const mine = local[name];
    return (
      <TextField
        key={name}
        label={t(`field_${name}`)}
        inputMode="decimal"
        {...bound}
        onChange={(e) => {
          bound.onChange(e);
          setLocal((current) => ({ ...current, [name]: undefined }));
        }}
        error={mine !== undefined ? t(`rule_${mine}`) : bound.error}
      />
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <PublicationProblem problem={form.problem} otherErrors={form.otherErrors} />
      <fieldset disabled={frozen} className="choice-group">
        <div className="form-grid">
          <SelectField label={t('field_awards.mode')} hint={t(`awardModeHint_${mode}`)} {...form.bind('awards.mode')}>
            {AWARD_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`awardMode_${m}`)}
              </option>
            ))}
          </SelectField>
          {RULE_FIELDS.filter((f) => mode === 'worldskills' || f !== 'awards.medallion_threshold').map(field)}
        </div>
        {!frozen && (
          <div className="form-actions">
            <SubmitButton busy={save.isPending} label={t('saveRules')} busyLabel={t('saving')} />
          </div>
        )}
      </fieldset>
    </form>
  );
}
