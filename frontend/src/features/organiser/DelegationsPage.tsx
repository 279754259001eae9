import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { ProblemAlert } from '@/components/ProblemAlert';
import { QueryView } from '@/components/QueryView';
import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, useDelegations, type Delegation } from '@/lib/api/queries';

const EMPTY = { code: '', name_zh: '', name_en: '', kind: 'region', contact_name: '', contact_email: '', contact_phone: '' };

function fieldsOf(d: Delegation): typeof EMPTY {
  return {
    code: d.code,
    name_zh: d.name_zh,
    name_en: d.name_en,
    kind: d.kind,
    contact_name: d.contact_name ?? '',
    contact_email: d.contact_email ?? '',
    contact_phone: d.contact_phone ?? '',
  };
}

const optional = (value: string) => (value.trim() === '' ? null : value.trim());

export function DelegationsPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('organiser');
  const delegations = useDelegations(eventId);
  const [editing, setEditing] = useState<Delegation | null>(null);
  return (
    <>
      <PageTitle>{t('delegationsTitle')}</PageTitle>
      <QueryView query={delegations}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('noDelegations')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('code')}</th>
                    <th scope="col">{t('nameZh')}</th>
                    <th scope="col">{t('nameEn')}</th>
                    <th scope="col">{t('kind')}</th>
                    <th scope="col">{t('contact')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('edit')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((d) => (
                    <tr key={d.id}>
                      <td>{d.code}</td>
                      <td lang="zh-CN">{d.name_zh}</td>
                      <td lang="en">{d.name_en}</td>
                      <td>{t(`kind_${d.kind}` as 'kind_region')}</td>
                      <td>{[d.contact_name, d.contact_email, d.contact_phone].filter((x) => x).join(' · ')}</td>
                      <td>
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          aria-label={t('editDelegation', { code: d.code })}
                          onClick={() => setEditing(d)}
                        >
                          {t('edit')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      {editing === null ? (
        <DelegationForm eventId={eventId} />
      ) : (
        <DelegationForm key={`${editing.id}:${editing.version}`} eventId={eventId} delegation={editing} onDone={() => setEditing(null)} />
      )}
    </>
  );
}

/** Adds a delegation, or (given one) changes it; a stale version gets the server's 409. */
function DelegationForm({ eventId, delegation, onDone }: { eventId: string; delegation?: Delegation; onDone?: () => void }) {
  const { t } = useTranslation('organiser');
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm(delegation === undefined ? EMPTY : fieldsOf(delegation));
  const create = useMutation({
    mutationFn: () => {
      const v = form.values;
      const body = {
        code: v.code.trim(),
        name_zh: v.name_zh.trim(),
        name_en: v.name_en.trim(),
        kind: v.kind,
        contact_name: optional(v.contact_name),
        contact_email: optional(v.contact_email),
        contact_phone: optional(v.contact_phone),
      };
      if (delegation !== undefined) {
        return unwrap(
          client.PUT('/api/v1/delegations/{id}', {
            params: { path: { id: delegation.id } },
            body: { ...body, version: delegation.version },
          }),
        );
      }
      return unwrap(
        client.POST('/api/v1/events/{id}/delegations', {
          params: { path: { id: eventId } },
          body: {
            code: v.code.trim(),
            name_zh: v.name_zh.trim(),
            name_en: v.name_en.trim(),
            kind: v.kind,
            contact_name: optional(v.contact_name),
            contact_email: optional(v.contact_email),
            contact_phone: optional(v.contact_phone),
          },
        }),
      );
    },
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.delegations(eventId) });
      onDone?.();
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  return (
    <section className="card" aria-labelledby="add-delegation">
      <h2 id="add-delegation">{delegation === undefined ? t('addDelegation') : t('editDelegation', { code: delegation.code })}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          form.setProblem(null);
          create.mutate();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        <div className="form-grid">
          <TextField label={t('code')} hint={t('codeHint')} required {...form.bind('code')} />
          <TextField label={t('nameZh')} required lang="zh-CN" {...form.bind('name_zh')} />
          <TextField label={t('nameEn')} required lang="en" {...form.bind('name_en')} />
          <SelectField label={t('kind')} {...form.bind('kind')}>
            {(['region', 'industry', 'country', 'other'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={t('contactName')} {...form.bind('contact_name')} />
          <TextField label={t('contactEmail')} type="email" {...form.bind('contact_email')} />
          <TextField label={t('contactPhone')} type="tel" {...form.bind('contact_phone')} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={create.isPending}>
            {create.isPending ? t('saving') : delegation === undefined ? t('addDelegation') : t('save')}
          </button>
          {onDone !== undefined && (
            <button type="button" className="button button-secondary" onClick={onDone}>
              {t('cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
