import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Where a competitor's path through a selection programme is shown (the selection feature's route). */
export function selectionPathHref(entryId: string): string {
  return `/selection/entries/${entryId}`;
}

/**
 * The link from wherever an entry is shown (the organiser's entries, the team leader's entries, the
 * competitor's own results) to the entry's selection path; the path page says when the entry is in
 * no programme.
 */
export function SelectionPathLink({ entryId }: { entryId: string }) {
  const { t } = useTranslation('console');
  return (
    <Link to={selectionPathHref(entryId)} className="selection-path-link" data-testid="selection-path-link">
      {t('selectionPath')}
    </Link>
  );
}
