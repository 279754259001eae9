import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';

import type { Schemas } from './model';

type SelectionList = Schemas['SelectionList'];

/** A squad list or the national team: skill, rank, competitors, delegation (and place in the team). */
export function SelectionListTable({ list, testId }: { list: SelectionList; testId?: string }) {
  const { t } = useTranslation('selection');
  const { locale } = useLocale();
  const team = list.lines.some((l) => l.place != null);
  return (
    <div className="table-wrap">
      <table className="selection-cards" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('skill')}</th>
            {team && <th scope="col">{t('place')}</th>}
            <th scope="col" className="num">
              {t('rank')}
            </th>
            <th scope="col">{t('entry')}</th>
            <th scope="col">{t('delegation')}</th>
            <th scope="col" className="num">
              {t('standing')}
            </th>
          </tr>
        </thead>
        <tbody>
          {list.lines.map((line) => (
            <tr key={`${line.entry_id}:${line.place ?? ''}`}>
              <td data-label={t('skill')} className="selection-list-skill">
                {line.skill_number} {locale === 'en' ? line.skill_name_en : line.skill_name_zh}
              </td>
              {team && <td data-label={t('place')}>{line.place == null ? '—' : t(`place_${line.place}`)}</td>}
              <td data-label={t('rank')} className="num">
                {line.rank}
              </td>
              <th scope="row" data-label={t('entry')}>
                {line.competitors.join(locale === 'en' ? ', ' : '、')}
              </th>
              <td data-label={t('delegation')}>
                {line.delegation_code} <span className="muted">{locale === 'en' ? line.delegation_name_en : line.delegation_name_zh}</span>
              </td>
              <td data-label={t('standing')} className="num">
                {line.standing}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
