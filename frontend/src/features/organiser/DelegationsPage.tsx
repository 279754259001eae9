import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { QueryView } from '@/components/QueryView';
import { FormCard, RecordTable, type Column } from '@/components/RecordList';
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
  const columns: Column<Delegation>[] = [
    { header: t('code'), cell: (d) => d.code },
    { header: t('nameZh'), cell: (d) => d.name_zh, lang: 'zh-CN' },
    { header: t('nameEn'), cell: (d) => d.name_en, lang: 'en' },
    { header: t('kind'), cell: (d) => t(`kind_${d.kind}` as 'kind_region') },
    { header: t('contact'), cell: (d) => [d.contact_name, d.contact_email, d.contact_phone].filter((x) => x).join(' · ') },
  ];
  return (
    <>
      <PageTitle>{t('delegationsTitle')}</PageTitle>
      <QueryView query={delegations}>
        {(list) => (
          <RecordTable
            items={list}
            columns={columns}
            rowKey={(d) => d.id}
            empty={t('noDelegations')}
            edit={{ label: t('edit'), name: (d) => t('editDelegation', { code: d.code }), onEdit: setEditing }}
          />
        )}
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
  const save = useMutation({
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
      return delegation === undefined
        ? unwrap(client.POST('/api/v1/events/{id}/delegations', { params: { path: { id: eventId } }, body }))
        : unwrap(
            client.PUT('/api/v1/delegations/{id}', {
              params: { path: { id: delegation.id } },
              body: { ...body, version: delegation.version },
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
    <FormCard
      id="add-delegation"
      title={delegation === undefined ? t('addDelegation') : t('editDelegation', { code: delegation.code })}
      form={form}
      submitLabel={delegation === undefined ? t('addDelegation') : t('save')}
      busy={save.isPending}
      busyLabel={t('saving')}
      onSubmit={() => save.mutate()}
      onCancel={onDone}
    >
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
    </FormCard>
  );
}
