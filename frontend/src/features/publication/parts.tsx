import { useTranslation } from 'react-i18next';

import type { ResultLine } from './model';

/** The award of a result line in words ("Gold", "Medallion for Excellence"), or a dash. */
export function AwardText({ award }: { award: ResultLine['award'] }) {
  const { t } = useTranslation('publication');
  return <>{award == null ? t('noAward') : t(`award_${award}`)}</>;
}
