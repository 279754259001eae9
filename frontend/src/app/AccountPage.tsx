import { useTranslation } from 'react-i18next';

import { PageTitle } from '@/components/PageTitle';
import { AccountPanel } from '@/features/auth/AccountPanel';

export function AccountPage() {
  const { t } = useTranslation('console');
  return (
    <>
      <PageTitle>{t('accountTitle')}</PageTitle>
      <AccountPanel />
    </>
  );
}
