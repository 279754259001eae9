import { useTranslation } from 'react-i18next';

import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import type { FieldProps } from '@/components/forms';
import type { Schemas } from '@/lib/api/queries';
import { fromLocalInput } from '@/lib/format';

export type EventFieldName = 'name' | 'venue' | 'c1_date' | 'competition_days' | 'registration_deadline' | 'time_zone';

/** The request body for the event form's values (the deadline is typed in the event's time zone). */
export function eventBody(values: Record<EventFieldName, string>, version?: number): Schemas['EventRequest'] {
  const body: Schemas['EventRequest'] = {
    name: values.name.trim(),
    venue: values.venue.trim(),
    c1_date: values.c1_date,
    competition_days: Number(values.competition_days),
    registration_deadline: values.registration_deadline === '' ? '' : fromLocalInput(values.registration_deadline, values.time_zone.trim()),
    time_zone: values.time_zone.trim(),
  };
  if (version !== undefined) body.version = version;
  return body;
}

export function EventFields({ bind }: { bind: (field: EventFieldName) => FieldProps }) {
  const { t } = useTranslation('organiser');
  return (
    <div className="form-grid">
      <TextField label={t('eventName')} required {...bind('name')} />
      <TextField label={t('venue')} {...bind('venue')} />
      <TextField label={t('c1Date')} type="date" required hint={t('c1DateHint')} {...bind('c1_date')} />
      <SelectField label={t('competitionDays')} {...bind('competition_days')}>
        {[1, 2, 3, 4].map((n) => (
          <option key={n} value={String(n)}>
            {n}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('deadline')}
        type="datetime-local"
        required
        hint={t('deadlineHint')}
        {...bind('registration_deadline')}
      />
      <TextField label={t('timeZone')} hint={t('timeZoneHint')} {...bind('time_zone')} />
    </div>
  );
}
