import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useEvent, useOrganises, type Schemas } from '@/lib/api/queries';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { SchemeDraftForm } from './SchemeDraftForm';
import { SkillHeading } from './SkillHeading';
import { aspectPath, countAspects, marksText, problemsByPath, schemeProblems, totalHundredths, type Scheme } from './scheme';

type SchemeDocument = Schemas['SchemeDocument'];
type SchemeImport = Schemas['SchemeImport'];

/** The skill's marking scheme: view, edit the draft (problems shown in place), CIS import, freeze. */
export function SchemePage() {
  const { skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const client = useApi();
  // The editor starts afresh with each saved version, so "saved" is remembered out here.
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const scheme = useQuery({
    queryKey: queryKeys.skill(skillId, 'scheme'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/scheme', { params: { path: { id: skillId } } })),
  });
  return (
    <>
      <SkillHeading title={t('schemeTitle')} />
      <QueryView query={scheme}>
        {(doc) => (
          <>
            <SchemeEditor
              key={doc.version}
              skillId={skillId}
              doc={doc}
              savedNow={savedVersion === doc.version}
              onSaved={setSavedVersion}
            />
            {doc.can_edit && doc.status !== 'frozen' && <CisImport skillId={skillId} version={doc.version} />}
          </>
        )}
      </QueryView>
    </>
  );
}

function SchemeEditor({
  skillId,
  doc,
  savedNow,
  onSaved,
}: {
  skillId: string;
  doc: SchemeDocument;
  savedNow: boolean;
  onSaved: (version: number) => void;
}) {
  const { t } = useTranslation('chief');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const { eventId = '' } = useParams();
  const zone = useEvent(eventId).data?.time_zone;
  const [draft, setDraft] = useState<Scheme>(doc.scheme);
  const [textsValid, setTextsValid] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(savedNow);
  const [freezing, setFreezing] = useState(false);
  const editable = doc.can_edit && doc.status !== 'frozen';
  const canFreeze = useOrganises();
  const dirty = JSON.stringify(draft) !== JSON.stringify(doc.scheme);
  // The saved draft shows the server's problems; while editing, the same checks run here.
  const byPath = dirty
    ? problemsByPath(schemeProblems(draft).map((p) => ({ path: p.path, message: t(`problem_${p.code}`, { ...p.params }) })))
    : problemsByPath(doc.problems);
  const problemCount = [...byPath.values()].reduce((n, list) => n + list.length, 0);
  const badMax = !textsValid;

  const store = (result: SchemeDocument) => queryClient.setQueryData(queryKeys.skill(skillId, 'scheme'), result);
  const save = useMutation({
    mutationFn: () =>
      unwrap(client.PUT('/api/v1/skills/{id}/scheme', { params: { path: { id: skillId } }, body: { version: doc.version, scheme: draft } })),
    onSuccess: (result) => {
      setSaved(true);
      onSaved(result.version);
      store(result);
    },
    onError: (error) => setProblem(problemOf(error)),
  });
  const freeze = useMutation({
    mutationFn: () =>
      unwrap(client.POST('/api/v1/skills/{id}/scheme/freeze', { params: { path: { id: skillId } }, body: { version: doc.version } })),
    onSuccess: (result) => {
      setFreezing(false);
      store(result);
    },
    onError: (error) => {
      setFreezing(false);
      setProblem(problemOf(error));
    },
  });

  const messages = (path: string) => {
    const list = byPath.get(path);
    return list === undefined ? null : (
      <ul className="field-error inline-problems">
        {list.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    );
  };

  return (
    <section className="card" aria-labelledby="scheme-heading">
      <h2 id="scheme-heading">
        {doc.status === 'frozen' ? t('schemeFrozen') : t('schemeDraft')}{' '}
        <span className="muted">
          · {t('schemeTotal', { total: marksText(totalHundredths(draft)) })} · {t('schemeVersion', { version: doc.version })}
          {doc.frozen_at != null && ` · ${formatDateTime(doc.frozen_at, locale, zone)}`}
        </span>
      </h2>
      <ProblemAlert problem={problem} />
      <div role="status">{saved && <p className="notice notice-success">{t('saved')}</p>}</div>
      {problemCount > 0 && (
        <div className="notice notice-error">
          <p>{dirty ? t('unsavedProblems') : t('schemeProblems')}</p>
          {messages('')}
        </div>
      )}
      {badMax && <p className="notice notice-error">{t('badAmounts')}</p>}
      {editable ? (
        <SchemeDraftForm
          draft={draft}
          onChange={(next) => {
            setSaved(false);
            setDraft(next);
          }}
          onTextsValid={setTextsValid}
          problemsAt={messages}
        />
      ) : draft.criteria.length === 0 ? (
        <p className="muted">{t('schemeEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="scheme-table">
            <thead>
              <tr>
                <th scope="col">{t('aspect')}</th>
                <th scope="col">{t('description')}</th>
                <th scope="col">{t('aspectType')}</th>
                <th scope="col" className="num">
                  {t('day')}
                </th>
                <th scope="col" className="num">
                  {t('maxMark')}
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.criteria.map((c) => (
                <Fragment key={c.id}>
                  <tr className="scheme-criterion">
                    <th scope="rowgroup">{c.id}</th>
                    <td colSpan={4}>
                      <strong>{c.name}</strong>
                      {messages(c.id)}
                    </td>
                  </tr>
                  {c.sub_criteria.map((s) => (
                    <Fragment key={s.id}>
                      <tr className="scheme-sub">
                        <th scope="row">{s.id}</th>
                        <td colSpan={4}>
                          {s.name}
                          {messages(`${c.id}/${s.id}`)}
                        </td>
                      </tr>
                      {s.aspects.map((a, ai) => {
                        const path = aspectPath(c.id, s.id, ai);
                        return (
                          <tr key={path}>
                            <td>{`${s.id}.${ai + 1}`}</td>
                            <td>
                              {a.description}
                              {messages(path)}
                            </td>
                            <td>{t(`type_${a.type}`)}</td>
                            <td className="num">C{a.day}</td>
                            <td className="num">
                              {marksText(a.max)}
                            </td>
                          </tr>
                        );
                      })}
                    </Fragment>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t('aspectCount', { n: formatNumber(countAspects(draft), locale) })}</p>
      <div className="form-actions">
        {editable && (
          <button type="button" className="button" aria-disabled={!dirty || badMax || save.isPending} onClick={() => dirty && !badMax && save.mutate()}>
            {save.isPending ? t('saving') : t('saveScheme')}
          </button>
        )}
        {editable && canFreeze && (
          <button type="button" className="button button-secondary" aria-disabled={dirty || doc.problems.length > 0} onClick={() => !dirty && doc.problems.length === 0 && setFreezing(true)}>
            {t('freeze')}
          </button>
        )}
      </div>
      <ConfirmDialog open={freezing} title={t('freezeTitle')} confirmLabel={t('freeze')} busy={freeze.isPending} onConfirm={() => freeze.mutate()} onCancel={() => setFreezing(false)}>
        <p>{t('freezeText')}</p>
      </ConfirmDialog>
    </section>
  );
}

function CisImport({ skillId, version }: { skillId: string; version: number }) {
  const { t } = useTranslation('chief');
  const client = useApi();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<SchemeImport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useMutation({
    mutationFn: (commit: boolean) => {
      if (file === null) throw new Error('no file');
      return unwrap(
        client.POST('/api/v1/skills/{id}/scheme/import', {
          params: { path: { id: skillId }, query: { commit, version, filename: file.name } },
          body: file as unknown as string, // a binary body: the browser sends the File as it is
          bodySerializer: (body) => body,
          headers: { 'Content-Type': 'application/octet-stream' },
        }),
      );
    },
    onSuccess: (r) => {
      setResult(r);
      if (r.committed) void queryClient.invalidateQueries({ queryKey: queryKeys.skill(skillId, 'scheme') });
    },
    onError: (error) => setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="cis-import">
      <h2 id="cis-import">{t('cisImport')}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          setResult(null);
          if (file !== null) run.mutate(false);
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="cis-file">
            {t('cisFile')}
          </label>
          <input id="cis-file" className="field-input" type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={file === null || run.isPending}>
            {t('cisCheck')}
          </button>
        </div>
      </form>
      {run.isPending && (
        <div role="status" className="import-progress">
          <progress aria-label={t('cisChecking')} />
          <span>{t('cisChecking')}</span>
        </div>
      )}
      <ProblemAlert problem={problem} />
      {result !== null && (
        <div aria-live="polite">
          {result.committed ? (
            <p className="notice notice-success">{t('cisCommitted', { version: result.version })}</p>
          ) : (
            <p className="notice notice-success">
              {t('cisReadOk', {
                skill: result.skill_name,
                project: result.test_project,
                criteria: result.scheme.criteria.length,
                aspects: countAspects(result.scheme),
              })}
            </p>
          )}
          {result.warnings.length > 0 && (
            <>
              <p>{t('cisWarnings')}</p>
              <ul>
                {result.warnings.map((w) => (
                  <li key={`${w.row}:${w.column}:${w.message}`}>
                    {w.row}/{w.column}: {w.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {!result.committed && (
            <button type="button" className="button" aria-disabled={run.isPending} onClick={() => run.mutate(true)}>
              {t('cisCommit')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
