import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { problemOf, unwrap } from '@/lib/api/client';
import { useApi, useDelegations, useEvent, useSkills } from '@/lib/api/queries';
import { delegationName } from '@/lib/delegation';
import { formatDateTime } from '@/lib/format';
import type { Problem } from '@/lib/problem';

import { PublicationProblem } from './PublicationProblem';
import { publicationKeys, useDisputes } from './api';
import { sortDisputes, type DisputeView } from './model';
import './publication.css';

type Outcome = 'rejected' | 'upheld';

/**
 * The organiser's disputes (`/events/:eventId/disputes`): every dispute filed in the notice
 * period, open ones first; each is upheld (the skill reopens for re-marking) or rejected, with a
 * reason, after confirmation.
 */
export function DisputesPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('publication');
  const disputes = useDisputes(eventId);
  return (
    <>
      <PageTitle>{t('disputesTitle')}</PageTitle>
      <p className="muted">{t('disputesIntro')}</p>
      <QueryView query={disputes}>{(list) => <DisputeList eventId={eventId} disputes={list} />}</QueryView>
    </>
  );
}

function DisputeList({ eventId, disputes }: { eventId: string; disputes: DisputeView[] }) {
  const { t } = useTranslation('publication');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const event = useEvent(eventId);
  const skills = useSkills(eventId);
  const delegations = useDelegations(eventId);
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const [resolving, setResolving] = useState<DisputeView | null>(null);
  const [outcome, setOutcome] = useState<Outcome>('rejected');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  /** The outcome of the last resolution (`upheld`, `rejected`). */
  const [notice, setNotice] = useState<string | null>(null);
  const shown = sortDisputes(filter === 'open' ? disputes.filter((d) => d.status === 'open') : disputes);

  const skillOf = (d: DisputeView) => {
    const s = skills.data?.find((x) => x.id === d.skill_id);
    return s === undefined ? '' : `${s.number} ${locale === 'en' ? s.name_en : s.name_zh}`;
  };
  const entryOf = (d: DisputeView) => {
    // The dispute names its delegation; the list of delegations (one small request) adds the name.
    const delegation = delegations.data?.find((x) => x.id === d.delegation_id);
    return delegation === undefined ? d.delegation_code : delegationName(delegation, locale);
  };
  const when = (instant: string) => formatDateTime(instant, locale, event.data?.time_zone);
  const close = () => {
    setResolving(null);
    setNote('');
    setOutcome('rejected');
  };

  const resolve = useMutation({
    mutationFn: (d: DisputeView) =>
      unwrap(client.POST('/api/v1/disputes/{id}/resolve', { params: { path: { id: d.id } }, body: { outcome, note: note.trim() } })),
    onSuccess: (resolved) => {
      close();
      setNotice(resolved.status);
      void queryClient.invalidateQueries({ queryKey: publicationKeys.disputes(eventId) });
      void queryClient.invalidateQueries({ queryKey: publicationKeys.statuses(eventId) });
    },
    onError: (error) => {
      close();
      setProblem(problemOf(error));
    },
  });

  const statusText = (status: string) =>
    status === 'open' || status === 'upheld' || status === 'rejected' ? t(`dispute_${status}`) : status;

  return (
    <>
      <div className="filters">
        <SelectField label={t('show')} name="filter" value={filter} onChange={(e) => setFilter(e.target.value as 'open' | 'all')}>
          <option value="open">{t('showOpen')}</option>
          <option value="all">{t('showAll')}</option>
        </SelectField>
      </div>
      <PublicationProblem problem={problem} />
      <p role="status" className={notice === null ? 'visually-hidden' : 'notice notice-success'}>
        {notice === null ? '' : t('resolvedOk', { status: statusText(notice) })}
      </p>
      {shown.length === 0 ? (
        <p className="muted">{t('noDisputes')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="disputes">
            <thead>
              <tr>
                <th scope="col">{t('filedAt')}</th>
                <th scope="col">{t('skill')}</th>
                <th scope="col">{t('entry')}</th>
                <th scope="col">{t('aspect')}</th>
                <th scope="col">{t('reason')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('resolution')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr key={d.id} data-dispute={d.id}>
                  <td>{when(d.filed_at)}</td>
                  <td>{skillOf(d)}</td>
                  <th scope="row">{entryOf(d)}</th>
                  <td>{d.aspect ?? t('wholeResult')}</td>
                  <td className="publication-reason">{d.reason}</td>
                  <td>
                    <span className={`badge ${d.status === 'open' ? 'badge-warning' : 'phase-ratified'}`}>{statusText(d.status)}</span>
                  </td>
                  <td>
                    {d.status === 'open' ? (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={t('resolveOf', { entry: entryOf(d), skill: skillOf(d) })}
                        onClick={() => {
                          setProblem(null);
                          setNotice(null);
                          setResolving(d);
                        }}
                      >
                        {t('resolve')}
                      </button>
                    ) : (
                      <>
                        <span className="publication-reason">{d.resolution ?? ''}</span>
                        {d.resolved_at != null && <span className="muted"> · {when(d.resolved_at)}</span>}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={resolving !== null}
        title={resolving === null ? '' : t('resolveTitle', { entry: entryOf(resolving), skill: skillOf(resolving) })}
        confirmLabel={t(`resolveConfirm_${outcome}`)}
        busy={resolve.isPending}
        confirmDisabled={note.trim() === ''}
        onConfirm={() => resolving !== null && resolve.mutate(resolving)}
        onCancel={close}
      >
        {resolving !== null && <p className="publication-reason">{resolving.reason}</p>}
        <fieldset className="choice-group">
          <legend className="field-label">{t('outcome')}</legend>
          {(['rejected', 'upheld'] as const).map((o) => (
            <label className="choice" key={o}>
              <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
              {t(`outcome_${o}`)}
            </label>
          ))}
        </fieldset>
        {outcome === 'upheld' && resolving !== null && (
          <p className="notice notice-error">{t('upheldWarning', { skill: skillOf(resolving) })}</p>
        )}
        <div className="field">
          <label className="field-label" htmlFor="resolution-note">
            {t('note')}
          </label>
          <p className="field-hint" id="resolution-note-hint">
            {t('noteHint')}
          </p>
          <textarea
            id="resolution-note"
            className="field-input"
            rows={3}
            maxLength={2000}
            required
            aria-describedby="resolution-note-hint"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
      </ConfirmDialog>
    </>
  );
}
