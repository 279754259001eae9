import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import type { components } from '@/api/schema';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { selectionPathHref } from '@/components/SelectionPathLink';
import { competitorNames, SelectionListTable } from '@/components/SelectionListTable';
import { useReleasedLists, useSquad, useTeam } from '@/lib/api/selectionLists';
import { useDelegation } from '@/lib/delegation';
import { useLocale } from '@/lib/locale';

import { ownLines, programmesOfEvent } from './selection';

type Schemas = components['schemas'];
type ReleasedProgramme = Schemas['ReleasedProgramme'];
type SelectionList = Schemas['SelectionList'];

/**
 * `/events/:eventId/team/:delegationId/selection`: the squad lists and the national team list of
 * the event's selection programme, as released to the delegations (or the public), showing the
 * delegation's own competitors, each linking to their path through the programme.
 */
export function TeamSelectionPage() {
  const { eventId = '', delegationId = '' } = useParams();
  const { t } = useTranslation('team');
  const { delegation, name } = useDelegation(eventId, delegationId);
  const released = useReleasedLists();
  return (
    <>
      <PageTitle>{t('selectionTitle', { delegation: name })}</PageTitle>
      <p className="muted">{t('selectionIntro')}</p>
      <QueryView query={released}>
        {(all) => {
          const programmes = programmesOfEvent(all, eventId);
          if (programmes.length === 0) {
            return (
              <p className="card" data-testid="selection-none">
                {t('selectionNone')}
              </p>
            );
          }
          return programmes.map((p) => <ProgrammeLists key={p.programme_id} programme={p} code={delegation?.code} />);
        }}
      </QueryView>
    </>
  );
}

function ProgrammeLists({ programme, code }: { programme: ReleasedProgramme; code: string | undefined }) {
  const { t } = useTranslation('team');
  const headingId = `programme-${programme.programme_id}`;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="selection-programme">
      <h2 id={headingId}>{programme.programme_name}</h2>
      <p className="muted">{t('selectionFacts', { competition: programme.target_competition, year: programme.target_year })}</p>
      {programme.stages.map((s) => (
        <SquadList key={s.stage_id} stage={s} code={code} />
      ))}
      {programme.team_audience != null && (
        <TeamList programmeId={programme.programme_id} audience={programme.team_audience} code={code} />
      )}
    </section>
  );
}

function SquadList({ stage, code }: { stage: Schemas['ReleasedStage']; code: string | undefined }) {
  const { t } = useTranslation('team');
  const squad = useSquad(stage.stage_id);
  return (
    <OwnList
      id={`squad-${stage.stage_id}`}
      title={t('squadListOf', { position: stage.position, name: stage.event_name })}
      audience={stage.audience}
      publicHref={`/results/selection/stages/${stage.stage_id}`}
      query={squad}
      code={code}
    />
  );
}

function TeamList({ programmeId, audience, code }: { programmeId: string; audience: Schemas['Audience']; code: string | undefined }) {
  const { t } = useTranslation('team');
  const team = useTeam(programmeId);
  return (
    <OwnList
      id={`team-${programmeId}`}
      title={t('teamList')}
      audience={audience}
      publicHref={`/results/selection/programmes/${programmeId}/team`}
      query={team}
      code={code}
    />
  );
}

/** One released list: the delegation's own lines, each competitor linking to their path. */
function OwnList({
  id,
  title,
  audience,
  publicHref,
  query,
  code,
}: {
  id: string;
  title: string;
  audience: Schemas['Audience'];
  publicHref: string;
  query: UseQueryResult<SelectionList>;
  code: string | undefined;
}) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const labels = {
    skill: t('skill'),
    place: t('listPlace'),
    rank: t('listRank'),
    entry: t('listEntry'),
    delegation: t('listDelegation'),
    standing: t('listStanding'),
    member: t('placeMember'),
    alternate: t('placeAlternate'),
    empty: t('noneOfOurs'),
  };
  return (
    <section aria-labelledby={id} className="selection-list" data-testid="released-list">
      <h3 id={id}>{title}</h3>
      <p className="muted">
        {audience === 'public' ? t('releasedTo_public') : t('releasedTo_delegations')}
        {audience === 'public' && (
          <>
            {' · '}
            <Link to={publicHref}>{t('publicListLink')}</Link>
          </>
        )}
      </p>
      <QueryView query={query}>
        {(list) => {
          const own = ownLines(list.lines, code);
          return (
            <>
              {own.length > 0 && <p>{t('ourCount', { count: own.length, total: list.lines.length })}</p>}
              <SelectionListTable
                lines={own}
                labels={labels}
                entry={(line) => {
                  const names = competitorNames(line, locale);
                  return (
                    <Link to={selectionPathHref(line.entry_id)} aria-label={t('pathOf', { name: names })} data-testid="path-link">
                      {names}
                    </Link>
                  );
                }}
              />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
