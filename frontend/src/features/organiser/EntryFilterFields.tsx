import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';
import { SelectField } from '@/components/SelectField';
import type { Delegation, Skill } from '@/lib/api/queries';

export interface EntryFilterValues {
  skillId: string;
  delegationId: string;
  status: string;
}

interface EntryFilterFieldsProps {
  skills: readonly Skill[];
  delegations: readonly Delegation[];
  value: EntryFilterValues;
  onChange: (change: Partial<EntryFilterValues>) => void;
}

/** Skill, delegation and entry status ("all" = empty): the filters of the competitor and entry lists. */
export function EntryFilterFields({ skills, delegations, value, onChange }: EntryFilterFieldsProps) {
  const { t } = useTranslation('organiser');
  const { locale } = useLocale();
  return (
    <>
      <SelectField label={t('skill')} name="skill" value={value.skillId} onChange={(e) => onChange({ skillId: e.target.value })}>
        <option value="">{t('all')}</option>
        {skills.map((s) => (
          <option key={s.id} value={s.id}>
            {s.number} {locale === 'en' ? s.name_en : s.name_zh}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('delegation')} name="delegation" value={value.delegationId} onChange={(e) => onChange({ delegationId: e.target.value })}>
        <option value="">{t('all')}</option>
        {delegations.map((d) => (
          <option key={d.id} value={d.id}>
            {d.code} {locale === 'en' ? d.name_en : d.name_zh}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('entryStatus')} name="status" value={value.status} onChange={(e) => onChange({ status: e.target.value })}>
        <option value="">{t('all')}</option>
        {(['registered', 'confirmed', 'withdrawn'] as const).map((s) => (
          <option key={s} value={s}>
            {t(`entryStatus_${s}`)}
          </option>
        ))}
      </SelectField>
    </>
  );
}
