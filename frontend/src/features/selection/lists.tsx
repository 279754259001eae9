import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, type ApiClient } from '@/lib/api/client';
import { useApi } from '@/lib/api/queries';
import { saveFile, type ExportFormat } from '@/lib/files';
import type { Problem } from '@/lib/problem';

import { releaseTeam, selectionKeys, teamExport, useTeam, type ReleaseAudience } from './api';
import { SelectionListTable } from './ListTable';
import type { Schemas } from './model';

type Audience = Schemas['Audience'];

const WIDTH: Record<Audience, number> = { none: 0, experts: 1, delegations: 2, public: 3 };

/** A programme's status (active, complete) as a badge. */
export function StatusBadge({ status }: { status: Schemas['ProgrammeStatus'] }) {
  const { t } = useTranslation('selection');
  return <span className={`badge badge-${status === 'active' ? 'confirmed' : 'registration'}`}>{t(`status_${status}`)}</span>;
}

/** Who sees the list, and the staged release (公示): delegations, then the public. */
export function ReleaseActions({
  audience,
  publicHref,
  release,
  invalidate,
}: {
  audience: Audience;
  publicHref: string;
  release: (client: ApiClient, audience: ReleaseAudience) => Promise<unknown>;
  invalidate: readonly (readonly unknown[])[];
}) {
  const { t } = useTranslation('selection');
  const client = useApi();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<ReleaseAudience | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const mutation = useMutation({
    mutationFn: (to: ReleaseAudience) => release(client, to),
    onSuccess: () => {
      setAsking(null);
      setDone(true);
      for (const key of invalidate) void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (error) => {
      setAsking(null);
      setProblem(problemOf(error));
    },
  });
  const ask = (to: ReleaseAudience) => {
    setProblem(null);
    setDone(false);
    setAsking(to);
  };
  return (
    <div className="selection-release">
      <p>
        {t('audience')}: <strong data-testid="audience">{t(`audience_${audience}`)}</strong>
        {audience === 'public' && (
          <>
            {' · '}
            <Link to={publicHref}>{t('publicPage')}</Link>
          </>
        )}
      </p>
      <ProblemAlert problem={problem} />
      <div className="publication-actions">
        {WIDTH[audience] < WIDTH.delegations && (
          <button type="button" className="button button-secondary" onClick={() => ask('delegations')}>
            {t('releaseDelegations')}
          </button>
        )}
        {WIDTH[audience] < WIDTH.public && (
          <button type="button" className="button button-secondary" onClick={() => ask('public')}>
            {t('releasePublic')}
          </button>
        )}
      </div>
      {done && (
        <p className="notice notice-success" role="status">
          {t('released')}
        </p>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={asking === 'public' ? t('releaseTitle_public') : t('releaseTitle_delegations')}
        confirmLabel={asking === 'public' ? t('releasePublic') : t('releaseDelegations')}
        busy={mutation.isPending}
        onConfirm={() => {
          if (asking !== null) mutation.mutate(asking);
        }}
        onCancel={() => setAsking(null)}
      >
        <p>{t('releaseText')}</p>
      </ConfirmDialog>
    </div>
  );
}

/** The national team (member and alternate per skill): release and export. */
export function TeamSection({ programme }: { programme: Schemas['Programme'] }) {
  const { t } = useTranslation('selection');
  const client = useApi();
  const team = useTeam(programme.id);
  const [problem, setProblem] = useState<Problem | null>(null);
  const download = (format: ExportFormat | 'pdf') => {
    setProblem(null);
    teamExport(client, programme.id, format).then(saveFile, (error: unknown) => setProblem(problemOf(error)));
  };
  return (
    <section className="card" aria-labelledby="national-team" data-testid="national-team">
      <h2 id="national-team">{t('teamHeading')}</h2>
      <QueryView query={team}>
        {(list) =>
          list.lines.length === 0 ? (
            <p className="muted">{t('teamEmpty')}</p>
          ) : (
            <>
              <SelectionListTable list={list} />
              <ReleaseActions
                audience={programme.team_audience}
                publicHref={`/results/selection/programmes/${programme.id}/team`}
                release={(c, audience) => releaseTeam(c, programme.id, audience)}
                invalidate={[selectionKeys.programme(programme.id), selectionKeys.team(programme.id)]}
              />
              <ProblemAlert problem={problem} />
              <div className="publication-actions">
                <button type="button" className="button button-secondary" onClick={() => download('csv')}>
                  {t('exportCsv')}
                </button>
                <button type="button" className="button button-secondary" onClick={() => download('xlsx')}>
                  {t('exportXlsx')}
                </button>
                <button type="button" className="button button-secondary" onClick={() => download('pdf')} data-testid="team-pdf">
                  {t('exportPdf')}
                </button>
              </div>
            </>
          )
        }
      </QueryView>
    </section>
  );
}
