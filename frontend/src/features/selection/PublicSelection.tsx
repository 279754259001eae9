import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { publicClient, unwrap } from '@/lib/api/client';
import { usePublicQuery } from '@/lib/api/publicQuery';
import { useLocale } from '@/lib/locale';

import { SelectionListTable } from './ListTable';
import type { Schemas } from './model';
import './selection.css';

type SelectionList = Schemas['SelectionList'];

/** `/results/selection/stages/:stageId`: a stage's squad list once released to the public. */
export function PublicSquadPage() {
  const { stageId = '' } = useParams();
  const read = () => unwrap(publicClient.GET('/api/v1/public/selection/stages/{id}/squad', { params: { path: { id: stageId } } }));
  return <PublicList kind="squad" id={stageId} read={read} title="publicSquadTitle" testId="public-squad" />;
}

/** `/results/selection/programmes/:programmeId/team`: the national team once released to the public. */
export function PublicTeamPage() {
  const { programmeId = '' } = useParams();
  const read = () => unwrap(publicClient.GET('/api/v1/public/selection/programmes/{id}/team', { params: { path: { id: programmeId } } }));
  return <PublicList kind="team" id={programmeId} read={read} title="publicTeamTitle" testId="public-team" />;
}

/** A released list (`kind` of the stage or programme `id`), read with `read`, under its title. */
function PublicList({
  kind,
  id,
  read,
  title: titleKey,
  testId,
}: {
  kind: 'squad' | 'team';
  id: string;
  read: () => Promise<SelectionList>;
  title: 'publicSquadTitle' | 'publicTeamTitle';
  testId: string;
}) {
  const { t } = useTranslation('selection');
  const { t: common } = useLocale();
  const list = usePublicQuery(['public', 'selection', kind, id], read);
  const title = t(titleKey);
  const data = list.data;
  return (
    <section className="selection-public">
      <PageTitle>{data === undefined ? title : `${title} · ${data.programme_name}`}</PageTitle>
      {list.loading ? (
        <p role="status" className="muted">
          {common.loading}
        </p>
      ) : data === undefined ? (
        <p className="card" data-testid="not-public">
          {t('notPublic')}
        </p>
      ) : (
        <>
          <p className="muted">{t('publicIntro', { programme: data.programme_name, competition: data.target_competition })}</p>
          <SelectionListTable list={data} testId={testId} />
        </>
      )}
      <p>
        <Link to="/results">{t('backToResults')}</Link>
      </p>
    </section>
  );
}
