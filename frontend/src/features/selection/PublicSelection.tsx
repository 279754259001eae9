import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { publicClient, unwrap } from '@/lib/api/client';
import { usePublicQuery, type PublicData } from '@/lib/api/publicQuery';
import { useLocale } from '@/lib/locale';

import { SelectionListTable } from './ListTable';
import type { Schemas } from './model';
import './selection.css';

type SelectionList = Schemas['SelectionList'];

/** `/results/selection/stages/:stageId`: a stage's squad list once released to the public. */
export function PublicSquadPage() {
  const { stageId = '' } = useParams();
  const { t } = useTranslation('selection');
  const list = usePublicQuery(['public', 'selection', 'squad', stageId], () =>
    unwrap(publicClient.GET('/api/v1/public/selection/stages/{id}/squad', { params: { path: { id: stageId } } })),
  );
  return <PublicList title={t('publicSquadTitle')} list={list} testId="public-squad" />;
}

/** `/results/selection/programmes/:programmeId/team`: the national team once released to the public. */
export function PublicTeamPage() {
  const { programmeId = '' } = useParams();
  const { t } = useTranslation('selection');
  const list = usePublicQuery(['public', 'selection', 'team', programmeId], () =>
    unwrap(publicClient.GET('/api/v1/public/selection/programmes/{id}/team', { params: { path: { id: programmeId } } })),
  );
  return <PublicList title={t('publicTeamTitle')} list={list} testId="public-team" />;
}

function PublicList({ title, list, testId }: { title: string; list: PublicData<SelectionList>; testId: string }) {
  const { t } = useTranslation('selection');
  const { t: common } = useLocale();
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
