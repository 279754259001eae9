import { Link } from 'react-router';

import { useLocale } from '@/lib/locale';

interface MissingTokenProps {
  /** Where to get a new link, if the person can ask for one themselves. */
  newLinkPath?: string;
}

/** Shown instead of a form when the emailed link lost its `?token=…`. */
export function MissingToken({ newLinkPath }: MissingTokenProps) {
  const { t } = useLocale();
  return (
    <div className="notice notice-error">
      <p>{t.linkMissingToken}</p>
      <p>
        {newLinkPath !== undefined ? (
          <Link to={newLinkPath}>{t.requestNewLink}</Link>
        ) : (
          <Link to="/login">{t.backToSignIn}</Link>
        )}
      </p>
    </div>
  );
}
