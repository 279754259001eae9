import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';
import { Pagination } from '@/components/Pagination';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useEvent } from '@/lib/api/queries';
import { formatDateTime, fromLocalInput } from '@/lib/format';

import { AUDIT_ACTIONS, AUDIT_TARGETS, auditActionKey, auditTargetKey, isAuditAction, isAuditTarget } from './auditWords';

const PER_PAGE = 50;

interface AuditFilter {
  action: string;
  target_type: string;
  target_id: string;
  actor_id: string;
  from: string;
  to: string;
}

const EMPTY: AuditFilter = { action: '', target_type: '', target_id: '', actor_id: '', from: '', to: '' };

/** Only the filled-in filters, as the server's query parameters (times as RFC 3339). */
export function auditQuery(filter: AuditFilter, page: number, timeZone: string | undefined) {
  const query: Record<string, string | number> = { page, per_page: PER_PAGE };
  for (const [key, value] of Object.entries(filter) as [keyof AuditFilter, string][]) {
    const trimmed = value.trim();
    if (trimmed === '') continue;
    query[key] = key === 'from' || key === 'to' ? fromLocalInput(trimmed, timeZone) : trimmed;
  }
  return query;
}

/** The event's audit log (organisers see their events' records), newest first, with filters. */
export function AuditPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  const client = useApi();
  const event = useEvent(eventId);
  const [draft, setDraft] = useState<AuditFilter>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [page, setPage] = useState(1);
  const query = auditQuery(filter, page, event.data?.time_zone);
  const audit = useQuery({
    queryKey: queryKeys.audit({ eventId, ...query }),
    queryFn: () => unwrap(client.GET('/api/v1/audit', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const actionWord = (code: string) => (isAuditAction(code) ? t(auditActionKey(code)) : t('auditActionOther'));
  const targetWord = (code: string) => (isAuditTarget(code) ? t(auditTargetKey(code)) : t('auditTargetOther'));
  const choice = (key: 'action' | 'target_type', label: string, codes: readonly string[], word: (c: string) => string) => (
    <SelectField label={label} name={key} value={draft[key]} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}>
      <option value="">{t('auditAny')}</option>
      {codes.map((c) => (
        <option key={c} value={c}>
          {word(c)}
        </option>
      ))}
    </SelectField>
  );
  const field = (key: keyof AuditFilter, label: string, type = 'text') => (
    <TextField label={label} type={type} name={key} value={draft[key]} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
  );

  return (
    <>
      <PageTitle>{t('auditTitle')}</PageTitle>
      <form
        className="card filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
          setPage(1);
        }}
      >
        {choice('action', t('auditAction'), AUDIT_ACTIONS, actionWord)}
        {choice('target_type', t('auditTargetType'), AUDIT_TARGETS, targetWord)}
        {field('target_id', t('auditTargetId'))}
        {field('actor_id', t('auditActorId'))}
        {field('from', t('auditFrom'), 'datetime-local')}
        {field('to', t('auditTo'), 'datetime-local')}
        <div className="form-actions">
          <button type="submit" className="button">
            {t('applyFilters')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setDraft(EMPTY);
              setFilter(EMPTY);
              setPage(1);
            }}
          >
            {t('clearFilters')}
          </button>
        </div>
      </form>
      <QueryView query={audit}>
        {(result) => {
          // Organisers only get their own events' records; an administrator sees all, so keep this event's.
          const items = result.items.filter((a) => a.event_id == null || a.event_id === eventId);
          return (
            <>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('auditAt')}</th>
                      <th scope="col">{t('auditAction')}</th>
                      <th scope="col">{t('auditTarget')}</th>
                      <th scope="col">{t('auditActor')}</th>
                      <th scope="col">{t('auditChange')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((a) => (
                      <tr key={a.id}>
                        <td>{formatDateTime(a.at, locale, event.data?.time_zone)}</td>
                        <td data-action={a.action}>{actionWord(a.action)}</td>
                        <td>
                          <span className="muted">{targetWord(a.target_type)}</span>{' '}
                          {a.target_label != null ? (locale === 'en' ? a.target_label.en : a.target_label.zh) : a.target_id != null ? t('auditGone') : ''}
                        </td>
                        <td>{a.actor_id == null ? t('auditSystem') : (a.actor_name ?? t('auditGone'))}</td>
                        <td>
                          {(a.before != null || a.after != null) && (
                            <details>
                              <summary>{t('auditShowChange')}</summary>
                              <pre className="audit-json">{JSON.stringify({ before: a.before, after: a.after }, null, 2)}</pre>
                            </details>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {items.length === 0 && <p className="muted">{t('noMatches')}</p>}
              <Pagination page={page} perPage={PER_PAGE} total={Number(result.total)} onPage={setPage} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
