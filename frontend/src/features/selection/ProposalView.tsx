import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { TableHead } from '@/components/RecordList';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi } from '@/lib/api/queries';
import { useLocale } from '@/lib/locale';
import { problemMessage } from '@/lib/problemText';
import type { Problem } from '@/lib/problem';

import { selectionKeys, useProposal } from './api';
import { cutLineAfter, lineMarks, movedUpBy, proposalSummary, type LineMark, type Schemas, type StandingLine } from './model';

type Programme = Schemas['Programme'];
type Stage = Schemas['Stage'];
type StageSkill = Schemas['StageSkill'];
type StageStanding = Schemas['StageStanding'];

function names(line: StandingLine, locale: string): string {
  return line.competitors.join(locale === 'en' ? ', ' : '、') || line.delegation_code;
}

/**
 * The stage skill's proposal (or, once confirmed, the record): the combined standing with each
 * stage's part, the cut line, ties at the cut marked; Confirm behind a dialog; a withdrawal with
 * its reason and who moved up. Before ratification the server refuses and the screen says why.
 */
export function ProposalView({ programme, stage, skill }: { programme: Programme; stage: Stage; skill: StageSkill }) {
  const { t } = useTranslation('selection');
  const { t: common } = useLocale();
  const proposal = useProposal(stage.id, skill.skill_id);
  const headingId = `proposal-${stage.id}-${skill.skill_id}`;
  if (proposal.isPending) {
    return (
      <p role="status" className="muted">
        {common.loading}
      </p>
    );
  }
  if (proposal.isError) {
    const problem = problemOf(proposal.error);
    return (
      <section aria-labelledby={headingId}>
        <h3 id={headingId}>{t('proposalHeading')}</h3>
        <p className="notice notice-warning" role="status" data-testid="not-ratified">
          {problem.code === 'not_ratified' ? t('notRatifiedYet') : problemMessage(problem, common)}
        </p>
      </section>
    );
  }
  return <Proposal programme={programme} stage={stage} skill={skill} standing={proposal.data} headingId={headingId} />;
}

function Proposal({
  programme,
  stage,
  skill,
  standing,
  headingId,
}: {
  programme: Programme;
  stage: Stage;
  skill: StageSkill;
  standing: StageStanding;
  headingId: string;
}) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [withdrawing, setWithdrawing] = useState<StandingLine | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const summary = proposalSummary(standing);
  const cutAfter = cutLineAfter(standing.lines);
  const skillName = `${skill.skill_number} ${locale === 'en' ? skill.skill_name_en : skill.skill_name_zh}`;
  const key = selectionKeys.proposal(stage.id, skill.skill_id);

  /** Opens a dialog (confirm, withdraw) afresh: the last problem and outcome go. */
  const ask = (open: () => void) => {
    setProblem(null);
    setOutcome(null);
    open();
  };
  const refresh = (next: StageStanding) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: selectionKeys.programme(programme.id) });
    void queryClient.invalidateQueries({ queryKey: selectionKeys.squad(stage.id) });
    void queryClient.invalidateQueries({ queryKey: selectionKeys.team(programme.id) });
  };
  const confirm = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/selection/stages/{id}/skills/{skill}/confirm', {
          params: { path: { id: stage.id, skill: skill.skill_id } },
          body: { version: standing.version },
        }),
      ),
    onSuccess: (next) => {
      setConfirming(false);
      setOutcome(t('confirmed'));
      refresh(next);
    },
    onError: (error) => {
      setConfirming(false);
      setProblem(problemOf(error));
    },
  });
  const withdraw = useMutation({
    mutationFn: (line: StandingLine) =>
      unwrap(
        client.POST('/api/v1/selection/stages/{id}/skills/{skill}/withdraw', {
          params: { path: { id: stage.id, skill: skill.skill_id } },
          body: { entry_id: line.entry_id, reason: reason.trim() },
        }),
      ),
    onSuccess: (next, line) => {
      const up = movedUpBy(standing.lines, next.lines);
      setOutcome(
        `${t('withdrawn', { name: names(line, locale) })} ${
          up.length === 0 ? t('noMoveUp') : t('movedUpResult', { names: up.map((l) => names(l, locale)).join(locale === 'en' ? '; ' : '；') })
        }`,
      );
      setWithdrawing(null);
      setReason('');
      refresh(next);
    },
    onError: (error) => {
      setWithdrawing(null);
      setProblem(problemOf(error));
    },
  });

  const markText = (mark: LineMark, line: StandingLine): string => {
    switch (mark) {
      case 'advances':
        return t('advances');
      case 'out':
        return t('out');
      case 'tied':
        return t('tiedAtCut');
      case 'tie_break':
        return t('byTieBreak', { score: line.tie_break ?? '—' });
      case 'moved_up':
        return t('movedUp');
      case 'withdrawn':
        return t('withdrawnBecause', { reason: line.withdrawn_reason ?? '' });
      case 'ineligible':
        return t('ineligible', { reason: line.ineligible ?? '' });
    }
  };
  const columns = standing.confirmed ? 7 : 6;

  return (
    <section aria-labelledby={headingId} data-testid="proposal">
      <h3 id={headingId}>{standing.confirmed ? t('confirmedHeading') : t('proposalHeading')}</h3>
      <p>
        {summary.overCut
          ? t('proposalOverCut', { advancing: summary.advancing, cut: standing.cut })
          : t('proposalSummary', { advancing: summary.advancing, total: summary.total, cut: standing.cut })}
      </p>
      {summary.tie && (
        <p className="notice notice-warning" data-testid="tie-note">
          {standing.tie_rule.rule === 'all_tied_advance'
            ? t('tieExplained_all')
            : t('tieExplained_criterion', { criterion: standing.tie_rule.criterion })}
        </p>
      )}
      <ProblemAlert problem={problem} />
      {outcome !== null && (
        <p className="notice notice-success" role="status" data-testid="selection-outcome">
          {outcome}
        </p>
      )}
      {standing.lines.length === 0 ? (
        <p className="muted">{t('noLines')}</p>
      ) : (
        <div className="table-wrap">
          <table className="selection-standing" data-testid="standing">
            <TableHead
              columns={[
                { header: t('rank'), num: true },
                { header: t('entry') },
                { header: t('delegation') },
                { header: t('standing'), num: true },
                { header: t('breakdown') },
                { header: t('outcome') },
                ...(standing.confirmed ? [{ header: t('withdraw'), hiddenHeader: true }] : []),
              ]}
            />
            <tbody>
              {standing.lines.map((line, i) => {
                const marks = lineMarks(line);
                const classes = [
                  line.advances ? 'selection-advances' : 'selection-out',
                  line.tied_at_cut ? 'selection-tied' : '',
                  line.withdrawn_reason != null ? 'selection-withdrawn' : '',
                ]
                  .filter((c) => c !== '')
                  .join(' ');
                return (
                  <Fragment key={line.entry_id}>
                    <tr className={classes} data-tied={line.tied_at_cut ? 'true' : undefined}>
                      <td className="num">{line.rank}</td>
                      <th scope="row">{names(line, locale)}</th>
                      <td className="selection-delegation">
                        <span>{line.delegation_code}</span>{' '}
                        <span className="muted">{locale === 'en' ? line.delegation_name_en : line.delegation_name_zh}</span>
                      </td>
                      <td className="num">{line.standing}</td>
                      <td>
                        <div className="selection-breakdown">
                          {line.breakdown.map((b) => (
                            <span key={b.position}>
                              <span className="muted">{t('stageShort', { position: b.position })}</span>{' '}
                              <span className="selection-nowrap">{t('stageScore', { score: b.score ?? '—', weight: b.weight })}</span>
                            </span>
                          ))}
                        </div>
                      </td>
                      <td>
                        <div className="selection-marks">
                          {marks.map((m) => (
                            <span key={m} className={`selection-mark selection-mark-${m}`}>
                              {markText(m, line)}
                            </span>
                          ))}
                        </div>
                      </td>
                      {standing.confirmed && (
                        <td>
                          {line.advances && line.withdrawn_reason == null && (
                            <button
                              type="button"
                              className="button button-secondary"
                              onClick={() =>
                                ask(() => {
                                  setReason('');
                                  setWithdrawing(line);
                                })
                              }
                            >
                              {t('withdraw')}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                    {i === cutAfter && (
                      <tr className="selection-cut-line" aria-hidden="false">
                        <td colSpan={columns}>{t('cutLine', { cut: standing.cut })}</td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!standing.confirmed && standing.lines.length > 0 && (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            onClick={() => ask(() => setConfirming(true))}
          >
            {t('confirm')}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('confirmTitle', { position: stage.position, skill: skillName })}
        confirmLabel={t('confirm')}
        busy={confirm.isPending}
        onConfirm={() => confirm.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{standing.is_final ? t('confirmTextFinal') : t('confirmText')}</p>
        <p>
          {summary.overCut
            ? t('proposalOverCut', { advancing: summary.advancing, cut: standing.cut })
            : t('proposalSummary', { advancing: summary.advancing, total: summary.total, cut: standing.cut })}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={withdrawing !== null}
        title={t('withdrawTitle', { name: withdrawing === null ? '' : names(withdrawing, locale) })}
        confirmLabel={t('withdrawConfirm')}
        busy={withdraw.isPending}
        confirmDisabled={reason.trim() === ''}
        onConfirm={() => {
          if (withdrawing !== null) withdraw.mutate(withdrawing);
        }}
        onCancel={() => setWithdrawing(null)}
      >
        <p>{t('withdrawText')}</p>
        <div className="field">
          <label className="field-label" htmlFor={`${headingId}-reason`}>
            {t('reason')}
          </label>
          <p className="field-hint" id={`${headingId}-reason-hint`}>
            {t('reasonHint')}
          </p>
          <textarea
            id={`${headingId}-reason`}
            className="field-input"
            rows={3}
            maxLength={500}
            required
            aria-describedby={`${headingId}-reason-hint`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      </ConfirmDialog>
    </section>
  );
}
