/**
 * Every audit action and object type the server records (`src/service`), worded. A code the SPA
 * does not know yet is shown as a generic label (never the raw code to a Chinese reader).
 */

export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_reset',
  'auth.password_reset_requested',
  'auth.refresh_token_reused',
  'competitor.account_linked',
  'competitor.photo_set',
  'competitor.registered',
  'competitor.removed',
  'competitor.updated',
  'delegation.created',
  'delegation.team_leader_appointed',
  'delegation.updated',
  'demo.loaded',
  'dispute.filed',
  'dispute.resolved',
  'entry.created',
  'entry.status_changed',
  'event.created',
  'event.status_changed',
  'event.updated',
  'expert.registered',
  'marking_group.created',
  'marks.entered',
  'marks.locked',
  'marks.score_withdrawn',
  'marks.unlocked',
  'registration.exported_with_id_numbers',
  'registration.imported',
  'results.ceremony',
  'results.ratified',
  'results.release_scheduled',
  'results.release_unscheduled',
  'results.released',
  'results.rules_changed',
  'scheme.frozen',
  'scheme.saved',
  'skill.created',
  'skill.identities_revealed',
  'skill.updated',
  'skill.workstations_drawn',
  'skill.workstations_redrawn',
  'user.admin_created_by_cli',
  'user.first_admin_created',
  'user.invitation_accepted',
  'user.invited',
  'user.password_changed',
  'user.reinvited',
  'user.role_granted',
  'user.role_revoked',
  'user.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGETS = ['user', 'event', 'skill', 'delegation', 'entry', 'competitor', 'expert'] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

export function isAuditAction(code: string): code is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(code);
}

export function isAuditTarget(code: string): code is AuditTarget {
  return (AUDIT_TARGETS as readonly string[]).includes(code);
}

/** The message key of an action or object type (`auditAction_results_ratified`). */
export function auditActionKey(action: AuditAction) {
  return `auditAction_${action.replace('.', '_')}` as `auditAction_${string}`;
}
