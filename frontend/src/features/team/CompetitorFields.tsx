import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import type { FieldProps } from '@/components/forms';
import type { Event, Skill } from '@/lib/api/queries';

import { earliestBirthYear, type Eligibility } from './eligibility';

export type CompetitorField = 'name' | 'gender' | 'birth_date' | 'id_number';

/** The request body from the fields as typed. */
export function competitorBody(values: Record<CompetitorField, string>) {
  return {
    name: values.name.trim(),
    gender: values.gender,
    birth_date: values.birth_date,
    id_number: values.id_number.trim(),
  };
}

interface CompetitorFieldsProps {
  bind: (field: CompetitorField) => FieldProps;
  event: Event;
  skill: Skill;
  /** The eligibility of the date of birth as typed: shown before saving. */
  check: Eligibility;
  /** Offer an empty "Choose…" gender (a new competitor). */
  chooseGender?: boolean;
  /** More to announce next to the eligibility (e.g. "Saved."). */
  status?: ReactNode;
}

/**
 * A competitor's fields (adding one, correcting one), with the age rule as the hint of the
 * date of birth and the eligibility said while typing: an over-age date is marked invalid.
 */
export function CompetitorFields({ bind, event, skill, check, chooseGender = false, status }: CompetitorFieldsProps) {
  const { t } = useTranslation('team');
  const birthError =
    bind('birth_date').error ??
    (check.state === 'too_old' ? t('tooOld', { age: check.age, limit: check.limit, year: event.c1_date.slice(0, 4) }) : undefined);
  return (
    <>
      <div className="form-grid">
        <TextField label={t('name')} required {...bind('name')} />
        <SelectField label={t('gender')} required {...bind('gender')}>
          {chooseGender && <option value="">{t('choose')}</option>}
          <option value="female">{t('gender_female')}</option>
          <option value="male">{t('gender_male')}</option>
        </SelectField>
        <TextField
          label={t('birthDate')}
          type="date"
          required
          hint={t('ageRule', { limit: skill.age_limit, year: earliestBirthYear(event.c1_date, skill.age_limit) })}
          {...bind('birth_date')}
          error={birthError}
        />
        <TextField label={t('idNumber')} required autoComplete="off" {...bind('id_number')} />
      </div>
      <p className="eligibility" role="status">
        {check.state === 'eligible' && <span className="ok">{t('eligible', { age: check.age, limit: check.limit })}</span>}
        {status}
      </p>
    </>
  );
}
