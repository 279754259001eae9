import type { MessageKey, Messages } from '@/lib/i18n';

const ROLE_LABELS: Readonly<Record<string, MessageKey>> = {
  admin: 'roleAdmin',
  organiser: 'roleOrganiser',
  chief_expert: 'roleChiefExpert',
  expert: 'roleExpert',
  team_leader: 'roleTeamLeader',
  competitor: 'roleCompetitor',
};

/** The translated name of a role; an unknown role is shown by its code. */
export function roleLabel(role: string, t: Messages): string {
  const key = ROLE_LABELS[role];
  return key === undefined ? role : t[key];
}

const ROLE_ORDER = Object.keys(ROLE_LABELS);

/** Roles in a stable order: by rank (admin first), then by scope. */
export function sortRoles<R extends { role: string; scope_id?: string | null | undefined }>(roles: readonly R[]): R[] {
  const rank = (role: string) => {
    const index = ROLE_ORDER.indexOf(role);
    return index < 0 ? ROLE_ORDER.length : index;
  };
  return [...roles].sort(
    (a, b) =>
      rank(a.role) - rank(b.role) ||
      a.role.localeCompare(b.role) ||
      (a.scope_id ?? '').localeCompare(b.scope_id ?? ''),
  );
}
