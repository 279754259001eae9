import { Link } from 'react-router';

import { useLocale } from '@/lib/locale';
import { PageTitle } from '@/components/PageTitle';

export function NotFoundPage() {
  const { t } = useLocale();
  return (
    <div className="narrow">
      <PageTitle>{t.notFoundTitle}</PageTitle>
      <p>{t.notFoundText}</p>
      <p>
        <Link to="/">{t.goHome}</Link>
      </p>
    </div>
  );
}
