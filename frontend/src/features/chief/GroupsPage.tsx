import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useAllEntries, useApi, useDelegations, useExperts, type Schemas } from '@/lib/api/queries';
import type { Problem } from '@/lib/problem';

import { SkillHeading } from './SkillHeading';

type Proposal = Schemas['Proposal'];

/** Marking groups, and the proposal helper that respects recusal and spreads the load. */
export function GroupsPage() {
  const { eventId = '', skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const client = useApi();
  const queryClient = useQueryClient();
  const experts = useExperts(eventId);
  const delegations = useDelegations(eventId);
  const entries = useAllEntries(eventId, { skill_id: skillId });
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const groups = useQuery({
    queryKey: queryKeys.skill(skillId, 'groups'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/groups', { params: { path: { id: skillId } } })),
  });
  const propose = useMutation({
    mutationFn: () => unwrap(client.POST('/api/v1/skills/{id}/groups/proposal', { params: { path: { id: skillId } } })),
    onSuccess: setProposal,
    onError: (error) => setProblem(problemOf(error)),
  });
  const create = useMutation({
    mutationFn: (group: { name: string; members: string[]; sub_criteria: string[] }) =>
      unwrap(client.POST('/api/v1/skills/{id}/groups', { params: { path: { id: skillId } }, body: group })),
    onSuccess: (group) => {
      setCreated(group.name);
      void queryClient.invalidateQueries({ queryKey: queryKeys.skill(skillId, 'groups') });
    },
    onError: (error) => setProblem(problemOf(error)),
  });

  const codeOf = (delegationId: string | null | undefined) => delegations.data?.find((d) => d.id === delegationId)?.code ?? '?';
  const member = (userId: string) => {
    const expert = experts.data?.find((x) => x.user_id === userId && x.skill_id === skillId);
    return expert === undefined ? t('unknownMember') : t('memberOf', { name: expert.display_name, delegation: codeOf(expert.delegation_id) });
  };
  const entryLabel = (entryId: string) => {
    const entry = entries.data?.find((e) => e.id === entryId);
    return entry?.code ?? codeOf(entry?.delegation_id);
  };

  return (
    <>
      <SkillHeading title={t('groupsTitle')} />
      <ProblemAlert problem={problem} />
      <div role="status">{created !== null && <p className="notice notice-success">{t('groupCreated', { name: created })}</p>}</div>
      <QueryView query={groups}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('noGroups')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('groupName')}</th>
                    <th scope="col">{t('subCriteria')}</th>
                    <th scope="col">{t('members')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((g) => (
                    <tr key={g.id}>
                      <td>{g.name}</td>
                      <td>{g.sub_criteria.join(', ')}</td>
                      <td>{g.members.map(member).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <section className="card" aria-labelledby="proposal">
        <h2 id="proposal">{t('proposalTitle')}</h2>
        <p className="muted">{t('proposalText')}</p>
        <button
          type="button"
          className="button"
          aria-disabled={propose.isPending}
          onClick={() => {
            setProblem(null);
            propose.mutate();
          }}
        >
          {propose.isPending ? t('proposing') : t('propose')}
        </button>
        {proposal !== null && (
          <>
            {proposal.uncovered.length > 0 && (
              <div className="notice notice-error">
                <p>{t('uncoveredTitle')}</p>
                <ul>
                  {proposal.uncovered.map((u) => (
                    <li key={`${u.sub_criterion}:${u.entry_id}`}>
                      {t('uncoveredRow', { sub: u.sub_criterion, entry: entryLabel(u.entry_id), available: u.available, needed: u.needed })}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('subCriterion')}</th>
                    <th scope="col">{t('members')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('createGroup')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {proposal.groups.map((g) => {
                    const conflicted = proposal.uncovered.some((u) => u.sub_criterion === g.sub_criterion);
                    return (
                      <tr key={g.sub_criterion} className={conflicted ? 'row-conflict' : undefined}>
                        <td>
                          {g.sub_criterion} {conflicted && <span className="cell-bad">⚠</span>}
                        </td>
                        <td>{g.members.map(member).join(', ')}</td>
                        <td>
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => {
                              setProblem(null);
                              create.mutate({ name: g.sub_criterion, members: g.members, sub_criteria: [g.sub_criterion] });
                            }}
                          >
                            {t('createGroup')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}
