/** A delegation as the screens name it: its code and its name in the screen's language. */

import { useDelegations, type Delegation } from '@/lib/api/queries';
import type { Locale } from '@/lib/i18n';
import { useLocale } from '@/lib/locale';

/** "SH 上海" / "SH Shanghai"; '' for a delegation not (yet) known. */
export function delegationName(d: Delegation | undefined, locale: Locale): string {
  return d === undefined ? '' : `${d.code} ${locale === 'en' ? d.name_en : d.name_zh}`;
}

/** An event's delegation (once the event's delegations are read) and its name ('' until then). */
export function useDelegation(eventId: string, delegationId: string) {
  const { locale } = useLocale();
  const delegation = useDelegations(eventId).data?.find((d) => d.id === delegationId);
  return { delegation, name: delegationName(delegation, locale) };
}
