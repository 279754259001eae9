import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/app/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useMe, type Schemas } from '@/lib/api/queries';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { SkillHeading } from './SkillHeading';
import { aspectPath, countAspects, marksText, parseMarks, problemsByPath, totalHundredths, type Scheme } from './scheme';

type SchemeDocument = Schemas['SchemeDocument'];
type SchemeImport = Schemas['SchemeImport'];

/** The skill's marking scheme: view, edit the draft (problems shown in place), CIS import, freeze. */
export function SchemePage() {
  const { skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const client = useApi();
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
            <SchemeEditor key={doc.version} skillId={skillId} doc={doc} />
            {doc.can_edit && doc.status !== 'frozen' && <CisImport skillId={skillId} version={doc.version} />}
          </>
        )}
      </QueryView>
    </>
  );
}

function SchemeEditor({ skillId, doc }: { skillId: string; doc: SchemeDocument }) {
  const { t } = useTranslation('chief');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const me = useMe();
  const [draft, setDraft] = useState<Scheme>(doc.scheme);
  const [maxText, setMaxText] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [freezing, setFreezing] = useState(false);
  const editable = doc.can_edit && doc.status !== 'frozen';
  const canFreeze = me.data?.roles.some((r) => r.role === 'admin' || r.role === 'organiser') === true;
  const byPath = problemsByPath(doc.problems);
  const dirty = JSON.stringify(draft) !== JSON.stringify(doc.scheme);
  const badMax = Object.values(maxText).some((text) => parseMarks(text) === null);

  const store = (result: SchemeDocument) => queryClient.setQueryData(queryKeys.skill(skillId, 'scheme'), result);
  const save = useMutation({
    mutationFn: () =>
      unwrap(client.PUT('/api/v1/skills/{id}/scheme', { params: { path: { id: skillId } }, body: { version: doc.version, scheme: draft } })),
    onSuccess: (result) => {
      setSaved(true);
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

  const update = (ci: number, si: number | null, ai: number | null, change: Record<string, unknown>) => {
    setSaved(false);
    setDraft((current) => ({
      criteria: current.criteria.map((c, i) => {
        if (i !== ci) return c;
        if (si === null) return { ...c, ...change };
        return {
          ...c,
          sub_criteria: c.sub_criteria.map((s, j) => {
            if (j !== si) return s;
            if (ai === null) return { ...s, ...change };
            return { ...s, aspects: s.aspects.map((a, k) => (k === ai ? ({ ...a, ...change } as typeof a) : a)) };
          }),
        };
      }),
    }));
  };

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
          {doc.frozen_at != null && ` · ${formatDateTime(doc.frozen_at, locale)}`}
        </span>
      </h2>
      <ProblemAlert problem={problem} />
      <div role="status">{saved && <p className="notice notice-success">{t('saved')}</p>}</div>
      {doc.problems.length > 0 && (
        <div className="notice notice-error">
          <p>{t('schemeProblems')}</p>
          {messages('')}
        </div>
      )}
      {draft.criteria.length === 0 ? (
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
              {draft.criteria.map((c, ci) => (
                <Fragment key={c.id}>
                  <tr className="scheme-criterion">
                    <th scope="rowgroup">{c.id}</th>
                    <td colSpan={4}>
                      {editable ? (
                        <input className="field-input" aria-label={`${t('criterion')} ${c.id}`} value={c.name} onChange={(e) => update(ci, null, null, { name: e.target.value })} />
                      ) : (
                        <strong>{c.name}</strong>
                      )}
                      {messages(c.id)}
                    </td>
                  </tr>
                  {c.sub_criteria.map((s, si) => (
                    <Fragment key={s.id}>
                      <tr className="scheme-sub">
                        <th scope="row">{s.id}</th>
                        <td colSpan={4}>
                          {editable ? (
                            <input className="field-input" aria-label={`${t('subCriterion')} ${s.id}`} value={s.name} onChange={(e) => update(ci, si, null, { name: e.target.value })} />
                          ) : (
                            s.name
                          )}
                          {messages(`${c.id}/${s.id}`)}
                        </td>
                      </tr>
                      {s.aspects.map((a, ai) => {
                        const path = aspectPath(c.id, s.id, ai);
                        const text = maxText[path] ?? marksText(a.max);
                        return (
                          <tr key={path}>
                            <td>{`${s.id}.${ai + 1}`}</td>
                            <td>
                              {editable ? (
                                <input
                                  className="field-input"
                                  aria-label={`${t('description')} ${s.id}.${ai + 1}`}
                                  value={a.description}
                                  onChange={(e) => update(ci, si, ai, { description: e.target.value })}
                                />
                              ) : (
                                a.description
                              )}
                              {messages(path)}
                            </td>
                            <td>{t(`type_${a.type}`)}</td>
                            <td className="num">C{a.day}</td>
                            <td className="num">
                              {editable ? (
                                <input
                                  className="field-input marks-input"
                                  inputMode="decimal"
                                  aria-label={`${t('maxMark')} ${s.id}.${ai + 1}`}
                                  aria-invalid={parseMarks(text) === null ? true : undefined}
                                  value={text}
                                  onChange={(e) => {
                                    const value = e.target.value;
                                    setMaxText((m) => ({ ...m, [path]: value }));
                                    const parsed = parseMarks(value);
                                    if (parsed !== null) update(ci, si, ai, { max: parsed });
                                  }}
                                />
                              ) : (
                                marksText(a.max)
                              )}
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
          body: file as unknown as number[],
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
