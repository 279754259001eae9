import { Link } from 'react-router';

import { useLocale } from '@/lib/locale';

import { usePublicEvents } from './usePublic';

/** The events with public results, each with its results and its live board (the home page's list). */
export function PublicEventLinks() {
  const { t } = useLocale();
  const events = usePublicEvents();
  return (
    <>
      {events.loading && <p role="status">{t.loading}</p>}
      {events.data?.length === 0 && <p>{t.homeNoEvents}</p>}
      <ul className="results-events">
        {events.data?.map((e) => (
          <li key={e.event_id}>
            <Link to={`/results/${e.event_id}`}>{e.name}</Link> <span className="muted">{e.venue}</span>
            {' · '}
            <Link to={`/board/${e.event_id}`}>{t.homeLiveBoard}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
