import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useAllEntries, useApi, useDelegations, useEvent } from '@/lib/api/queries';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { SkillHeading } from './SkillHeading';

/** The workstation draw: draw (a redraw needs a reason), and every draw with its seed and replay check. */
export function DrawPage() {
  const { eventId = '', skillId = '' } = useParams();
  const { t } = useTranslation('chief');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const entries = useAllEntries(eventId, { skill_id: skillId });
  const delegations = useDelegations(eventId);
  const zone = useEvent(eventId).data?.time_zone;
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const draws = useQuery({
    queryKey: queryKeys.skill(skillId, 'draws'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/draws', { params: { path: { id: skillId } } })),
  });
  const redraw = (draws.data?.length ?? 0) > 0;
  // Marks already given (the progress of the skill): a redraw then warns before it happens.
  const progress = useQuery({
    queryKey: queryKeys.skill(skillId, 'progress'),
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/progress', { params: { path: { id: skillId } } })),
    enabled: redraw,
  });
  const marked = (progress.data ?? []).reduce((n, e) => n + e.sub_criteria.reduce((m, s) => m + s.marked, 0), 0);
  const draw = useMutation({
    mutationFn: () =>
      unwrap(client.POST('/api/v1/skills/{id}/draw', { params: { path: { id: skillId } }, body: { reason: redraw ? reason.trim() : null } })),
    onSuccess: () => {
      setConfirming(false);
      setReason('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.skill(skillId, 'draws') });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(eventId) });
    },
    onError: (error) => {
      setConfirming(false);
      setProblem(problemOf(error));
    },
  });
  const entryLabel = (entryId: string) => {
    const entry = entries.data?.find((e) => e.id === entryId);
    if (entry?.code != null) return entry.code;
    return delegations.data?.find((d) => d.id === entry?.delegation_id)?.code ?? entryId.slice(-6);
  };

  return (
    <>
      <SkillHeading title={t('drawTitle')} />
      <ProblemAlert problem={problem} />
      <p>
        <button
          type="button"
          className="button"
          onClick={() => {
            setProblem(null);
            setConfirming(true);
          }}
        >
          {redraw ? t('redraw') : t('drawNow')}
        </button>
      </p>
      <QueryView query={draws}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('noDraws')}</p>
          ) : (
            <>
              {list.map((d) => (
                <section key={d.id} className="card" aria-label={t('drawnAt', { when: formatDateTime(d.drawn_at, locale, zone) })}>
                  <h2>{t('drawnAt', { when: formatDateTime(d.drawn_at, locale, zone) })}</h2>
                  <p>
                    {t('seed')}: <code>{d.seed}</code> ({d.algorithm}) ·{' '}
                    <span className={d.replay_matches ? 'cell-ok' : 'cell-bad'}>{d.replay_matches ? t('replayOk') : t('replayBad')}</span>
                    {d.reason != null && ` · ${t('reason')}: ${d.reason}`}
                  </p>
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col" className="num">
                            {t('workstation')}
                          </th>
                          <th scope="col">{t('entry')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {[...d.assignments]
                          .sort((a, b) => a.workstation - b.workstation)
                          .map((a) => (
                            <tr key={a.entry_id}>
                              <td className="num">{a.workstation}</td>
                              <td>{entryLabel(a.entry_id)}</td>
                            </tr>
                          ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ))}
            </>
          )
        }
      </QueryView>
      <ConfirmDialog
        open={confirming}
        title={t('drawTitleConfirm')}
        confirmLabel={redraw ? t('redraw') : t('drawNow')}
        busy={draw.isPending}
        confirmDisabled={redraw && reason.trim() === ''}
        onConfirm={() => draw.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('drawText')}</p>
        {redraw && marked > 0 && (
          <p className="notice notice-error" data-testid="redraw-marked">
            {t('redrawMarked', { marked: formatNumber(marked, locale) })}
          </p>
        )}
        {redraw && (
          <div className="field">
            <label className="field-label" htmlFor="redraw-reason">
              {t('redrawReason')}
            </label>
            <textarea id="redraw-reason" className="field-input" rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}
