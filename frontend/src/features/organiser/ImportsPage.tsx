import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { SelectField } from '@/components/SelectField';
import { useAuth } from '@/lib/auth/context';
import { fetchFile, saveFile, type ExportFormat } from '@/lib/files';
import { problemOf, ProblemError, useApi, withRefresh, type ApiClient, type TokenSource } from '@/lib/api/client';
import type { Schemas } from '@/lib/api/queries';
import { formatNumber } from '@/lib/format';
import type { Locale } from '@/lib/i18n';
import type { Problem } from '@/lib/problem';

import { columnName, problemText } from './importProblems';
import { formatBytes, importUrl, outcomeOf, sendWithProgress, type UploadProgress } from './upload';

type ImportKind = Schemas['ImportKind'];
type ImportReport = Schemas['ImportReport'];

const KINDS: readonly ImportKind[] = ['delegations', 'competitors', 'experts'];

/**
 * The file as the request body, with its name so the server can tell CSV from XLSX; sent with
 * `XMLHttpRequest` for its upload progress (see `upload.ts`).
 */
async function importFile(
  tokens: TokenSource,
  eventId: string,
  kind: ImportKind,
  file: File,
  commit: boolean,
  onProgress: (progress: UploadProgress) => void,
): Promise<ImportReport> {
  const send = (token: string | null) => {
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      Accept: 'application/json, application/problem+json',
    };
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    return sendWithProgress({ url: importUrl(eventId, kind, file.name, commit), body: file, headers, onProgress });
  };
  const answer = await withRefresh(tokens, send);
  const outcome = outcomeOf<ImportReport>(answer);
  if (!outcome.ok) throw new ProblemError(outcome.problem);
  return outcome.data;
}

/** The empty list to fill in, with its headers in the interface language (the import takes either). */
function importTemplate(client: ApiClient, eventId: string, kind: ImportKind, format: ExportFormat, lang: Locale) {
  return fetchFile(
    client.GET('/api/v1/events/{id}/imports/{kind}/template', {
      params: { path: { id: eventId, kind }, query: { format, lang } },
      parseAs: 'blob',
    }),
    `${kind}-template.${format}`,
  );
}

/**
 * Imports: choose a file, check it (a dry run lists every problem by row and
 * column), fix and choose it again, then import — all rows or none.
 */
export function ImportsPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const { tokens } = useAuth();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('competitors');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const client = useApi();

  const run = useMutation({
    mutationFn: ({ commit }: { commit: boolean }) => {
      if (file === null) throw new Error('no file');
      return importFile(tokens, eventId, kind, file, commit, setProgress);
    },
    onSettled: () => setProgress(null),
    onSuccess: (result) => {
      setReport(result);
      if (result.committed) {
        void queryClient.invalidateQueries({ queryKey: ['events', eventId] });
        setFile(null);
        setInputKey((k) => k + 1);
      }
    },
    onError: (error) => setProblem(problemOf(error)),
  });

  const start = (commit: boolean) => {
    setProblem(null);
    if (!commit) setReport(null);
    run.mutate({ commit });
  };

  const ready = report !== null && !report.committed && report.problems.length === 0;

  return (
    <>
      <PageTitle>{t('importsTitle')}</PageTitle>
      <section className="card" aria-labelledby="import-file">
        <h2 id="import-file">{t('importFile')}</h2>
        <p className="muted">{t(`importColumns_${kind}`)}</p>
        <p>
          {t('importTemplate')}{' '}
          {(['xlsx', 'csv'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="button button-secondary button-small"
              aria-label={t('importTemplateOf', { kind: t(`importKind_${kind}`), format: format.toUpperCase() })}
              onClick={() => {
                setProblem(null);
                importTemplate(client, eventId, kind, format, locale).then(saveFile, (error: unknown) => setProblem(problemOf(error)));
              }}
            >
              {format.toUpperCase()}
            </button>
          ))}
        </p>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (file !== null) start(false);
          }}
        >
          <div className="form-grid">
            <SelectField
              label={t('importKind')}
              name="kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                setReport(null);
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`importKind_${k}`)}
                </option>
              ))}
            </SelectField>
            <div className="field">
              <label className="field-label" htmlFor="import-file-input">
                {t('importChooseFile')}
              </label>
              <input
                key={inputKey}
                id="import-file-input"
                className="field-input"
                type="file"
                name="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setReport(null);
                  setProblem(null);
                }}
              />
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" className="button" aria-disabled={file === null || run.isPending}>
              {t('importCheck')}
            </button>
          </div>
        </form>
        {run.isPending && <ImportProgress progress={progress} />}
        <ProblemAlert problem={problem} />
      </section>

      {report !== null && (
        <section className="card" aria-labelledby="import-report" aria-live="polite">
          <h2 id="import-report">{report.committed ? t('importDone') : t('importDryRun')}</h2>
          {report.committed ? (
            <p className="notice notice-success">
              {t('importCreated', { rows: formatNumber(report.rows, locale), created: formatNumber(report.created, locale) })}
            </p>
          ) : report.problems.length === 0 ? (
            <p className="notice notice-success">{t('importReady', { rows: formatNumber(report.rows, locale) })}</p>
          ) : (
            <>
              <p className="notice notice-error">
                {t('importProblems', { rows: formatNumber(report.rows, locale), problems: report.problems.length })}
              </p>
              <div className="table-wrap">
                <table className="import-problems">
                  <thead>
                    <tr>
                      <th scope="col">{t('row')}</th>
                      <th scope="col">{t('column')}</th>
                      <th scope="col">{t('problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.problems.map((p) => (
                      <tr key={`${p.row}:${p.column}:${p.message}`}>
                        <td className="num">{p.row === 0 ? t('wholeFile') : p.row}</td>
                        <td>{p.column === '' ? '—' : columnName(p.column, t)}</td>
                        <td>{problemText(p, t)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>{t('importFixAndRetry')}</p>
            </>
          )}
          {ready && (
            <div className="form-actions">
              <button type="button" className="button" aria-disabled={run.isPending} onClick={() => start(true)}>
                {t('importCommit', { rows: formatNumber(report.rows, locale) })}
              </button>
            </div>
          )}
        </section>
      )}
    </>
  );
}

/**
 * The upload's progress: a determinate bar with the bytes sent, then an indeterminate one
 * while the server checks the rows. Only the phase is announced, not every percent.
 */
function ImportProgress({ progress }: { progress: UploadProgress | null }) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const sending = progress?.phase === 'sending' ? progress : null;
  const label = progress?.phase === 'checking' ? t('importChecking') : t('importSending');
  return (
    <div className="import-progress">
      {sending !== null && sending.total > 0 ? (
        <progress aria-label={label} max={sending.total} value={sending.loaded} />
      ) : (
        <progress aria-label={label} />
      )}
      <span role="status">{label}</span>
      {sending !== null && sending.total > 0 && (
        <span className="muted num">
          {t('importBytes', {
            sent: formatBytes(sending.loaded, locale),
            total: formatBytes(sending.total, locale),
            percent: sending.percent,
          })}
        </span>
      )}
    </div>
  );
}
