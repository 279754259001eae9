import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { problemOf } from '@/lib/api/client';
import { useApi } from '@/lib/api/queries';
import type { Problem } from '@/lib/problem';

import { PublicationProblem } from './PublicationProblem';
import { saveFile, type ExportFormat, type SavedFile } from '@/lib/files';

import { listExport, resultsExport, resultsPdf, type ListExportKind, type ResultsExportKind } from './api';

interface Download {
  /** What the row offers, e.g. "Results (CIS columns)". */
  label: string;
  /** One button per format. */
  files: { format: string; fetch: () => Promise<SavedFile> }[];
}

/**
 * Exports (CSV/XLSX) and printouts (PDF). They need the sign-in, which a plain link would not
 * carry: each is fetched with the token and handed to the browser as a download.
 */
export function FilesSection({ eventId }: { eventId: string }) {
  const { t } = useTranslation('publication');
  const client = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const formats = (fetchAs: (format: ExportFormat) => Promise<SavedFile>) => [
    { format: t('downloadCsv'), fetch: () => fetchAs('csv') },
    { format: t('downloadXlsx'), fetch: () => fetchAs('xlsx') },
  ];
  const results = (kind: ResultsExportKind) => formats((f) => resultsExport(client, eventId, kind, f));
  const list = (kind: ListExportKind) => formats((f) => listExport(client, eventId, kind, f));
  const rows: Download[] = [
    { label: t('exportResults'), files: results('results') },
    { label: t('exportBest'), files: results('best_of_delegation') },
    { label: t('exportDelegationTable'), files: results('delegations') },
    { label: t('pdfResults'), files: [{ format: 'PDF', fetch: () => resultsPdf(client, eventId, 'results') }] },
    { label: t('pdfCertificates'), files: [{ format: 'PDF', fetch: () => resultsPdf(client, eventId, 'certificates') }] },
    { label: `${t('exportLists')}: ${t('listDelegations')}`, files: list('delegations') },
    { label: `${t('exportLists')}: ${t('listCompetitors')}`, files: list('competitors') },
    { label: `${t('exportLists')}: ${t('listExperts')}`, files: list('experts') },
  ];

  const download = async (what: string, fetchFile: () => Promise<SavedFile>) => {
    if (busy !== null) return;
    setBusy(what);
    setProblem(null);
    setDone(null);
    try {
      const file = await fetchFile();
      saveFile(file);
      setDone(file.name);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="files-heading">
      <h2 id="files-heading">{t('filesHeading')}</h2>
      <p className="muted">{t('filesIntro')}</p>
      <dl className="publication-files">
        {rows.map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>
              {row.files.map((file) => {
                const what = t('fileOf', { what: row.label, format: file.format });
                return (
                  <button
                    key={file.format}
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={t('downloadOf', { what: row.label, format: file.format })}
                    aria-disabled={busy !== null}
                    aria-busy={busy === what}
                    onClick={() => void download(what, file.fetch)}
                  >
                    {file.format}
                  </button>
                );
              })}
            </dd>
          </div>
        ))}
      </dl>
      <PublicationProblem problem={problem} />
      <p role="status" className={busy === null && done === null ? 'visually-hidden' : 'muted'}>
        {busy !== null ? t('downloading', { what: busy }) : done === null ? '' : t('downloaded', { name: done })}
      </p>
    </section>
  );
}
