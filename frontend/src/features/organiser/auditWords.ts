/**
 * Every audit action and object type the server records (`AuditAction`, `AuditTarget` in the
 * OpenAPI document), worded. The lists are records over the server's unions and every code's
 * message key is checked by `tsc`, so an action the server adds fails the type check until it has
 * its words here. A code the SPA does not know yet (a newer server) is shown as a generic label,
 * never the raw code to a Chinese reader.
 */

import type { components } from '@/api/schema';

export type AuditAction = components['schemas']['AuditAction'];
export type AuditTarget = components['schemas']['AuditTarget'];

const ACTIONS: Record<AuditAction, true> = {
  'auth.login': true,
  'auth.login_failed': true,
  'auth.logout': true,
  'auth.password_reset': true,
  'auth.password_reset_requested': true,
  'auth.refresh_token_reused': true,
  'competitor.account_linked': true,
  'competitor.photo_set': true,
  'competitor.registered': true,
  'competitor.removed': true,
  'competitor.updated': true,
  'delegation.created': true,
  'delegation.team_leader_appointed': true,
  'delegation.updated': true,
  'demo.loaded': true,
  'dispute.filed': true,
  'dispute.resolved': true,
  'entry.created': true,
  'entry.status_changed': true,
  'event.created': true,
  'event.status_changed': true,
  'event.updated': true,
  'expert.registered': true,
  'marking_group.created': true,
  'marks.entered': true,
  'marks.locked': true,
  'marks.score_withdrawn': true,
  'marks.unlocked': true,
  'registration.exported_with_id_numbers': true,
  'registration.imported': true,
  'results.ceremony': true,
  'results.ratified': true,
  'results.release_scheduled': true,
  'results.release_unscheduled': true,
  'results.released': true,
  'results.rules_changed': true,
  'scheme.frozen': true,
  'scheme.saved': true,
  'selection.advancement_confirmed': true,
  'selection.carried_over': true,
  'selection.programme_created': true,
  'selection.rules_changed': true,
  'selection.squad_released': true,
  'selection.stage_added': true,
  'selection.team_released': true,
  'selection.team_set': true,
  'selection.withdrawn': true,
  'skill.created': true,
  'skill.identities_revealed': true,
  'skill.updated': true,
  'skill.workstations_drawn': true,
  'skill.workstations_redrawn': true,
  'user.admin_created_by_cli': true,
  'user.first_admin_created': true,
  'user.invitation_accepted': true,
  'user.invited': true,
  'user.password_changed': true,
  'user.reinvited': true,
  'user.role_granted': true,
  'user.role_revoked': true,
  'user.updated': true,
};

const TARGETS: Record<AuditTarget, true> = {
  user: true,
  event: true,
  skill: true,
  delegation: true,
  entry: true,
  competitor: true,
  expert: true,
  selection_programme: true,
  selection_stage: true,
};

export const AUDIT_ACTIONS = Object.keys(ACTIONS) as AuditAction[];
export const AUDIT_TARGETS = Object.keys(TARGETS) as AuditTarget[];

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(ACTIONS, code);
}

export function isAuditTarget(code: string): code is AuditTarget {
  return Object.hasOwn(TARGETS, code);
}

type Underscored<A extends string> = A extends `${infer Head}.${infer Tail}` ? `${Head}_${Tail}` : A;

/** The message key of an action (`auditAction_results_ratified`). */
export function auditActionKey<A extends AuditAction>(action: A) {
  return `auditAction_${action.replace('.', '_')}` as `auditAction_${Underscored<A>}`;
}

/** The message key of an object type (`auditTarget_skill`). */
export function auditTargetKey<T extends AuditTarget>(target: T) {
  return `auditTarget_${target}` as const;
}
