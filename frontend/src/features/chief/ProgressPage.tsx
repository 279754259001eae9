import { useTranslation } from 'react-i18next';

import { PageTitle } from '@/components/PageTitle';

export function ProgressPage() {
  const { t } = useTranslation('chief');
  return <PageTitle>{t('progressTitle')}</PageTitle>;
}
