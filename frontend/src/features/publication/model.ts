/**
 * Pure rules of the publication screens: where a skill's results stand, which skills a release
 * reaches, the ceremony's next medal, the result-rules form, a dispute's window. No React, no I/O.
 *
 * The server decides (`domain/publication.rs`, `service/results.rs`); these only let the screens
 * say beforehand what the server would answer, and never send a request it must refuse.
 */

import type { components } from '@/api/schema';

export type Schemas = components['schemas'];
export type SkillStatus = Schemas['SkillStatus'];
export type Audience = Schemas['Audience'];
export type ResultLine = Schemas['ResultLine'];
export type ResultRules = Schemas['ResultRules'];
export type AwardMode = Schemas['AwardMode'];
export type DisputeView = Schemas['DisputeView'];
export type EntryResultView = Schemas['EntryResultView'];

/** The audiences a release can widen to, narrowest first. */
export const RELEASE_AUDIENCES = ['experts', 'delegations', 'public'] as const satisfies readonly Audience[];
export type ReleaseAudience = (typeof RELEASE_AUDIENCES)[number];

const AUDIENCE_ORDER: readonly Audience[] = ['none', 'experts', 'delegations', 'public'];

export function audienceRank(audience: Audience): number {
  return AUDIENCE_ORDER.indexOf(audience);
}

/**
 * Whether releasing the skill to `target` changes what someone sees: it widens the audience, or
 * (re-ratified after an upheld dispute) brings the new results to the audience shown the old
 * ones. The server never narrows a release.
 */
export function canRelease(status: SkillStatus, target: ReleaseAudience): boolean {
  if (status.state === 'ratified') return audienceRank(status.audience) <= audienceRank(target);
  return status.state !== 'draft' && audienceRank(status.audience) < audienceRank(target);
}

/** Ratified again after an upheld dispute: the audiences still see the earlier publication. */
export function awaitsRerelease(status: Pick<SkillStatus, 'state' | 'audience'>): boolean {
  return status.state === 'ratified' && status.audience !== 'none';
}

export interface ReleasePlan {
  /** The skills the release reaches. */
  targets: SkillStatus[];
  /** Chosen skills it leaves out, and why. */
  skipped: { status: SkillStatus; why: 'not_ratified' | 'already_released' }[];
}

/**
 * Which skills a release to `target` reaches: the chosen ones (or every skill, for "all
 * ratified") that are ratified and not yet shown to that audience. The request then names them
 * one by one: "all" on the server would fail as a whole when one skill is released wider already.
 */
export function releasePlan(statuses: readonly SkillStatus[], chosen: ReadonlySet<string> | 'all', target: ReleaseAudience): ReleasePlan {
  const plan: ReleasePlan = { targets: [], skipped: [] };
  for (const status of statuses) {
    if (chosen !== 'all' && !chosen.has(status.skill_id)) continue;
    if (canRelease(status, target)) plan.targets.push(status);
    else if (chosen !== 'all') plan.skipped.push({ status, why: status.state === 'draft' ? 'not_ratified' : 'already_released' });
  }
  return plan;
}

/** Problem with a chosen release time (`datetime-local` value), or null when it is usable. */
export function scheduleProblem(value: string, now: number = Date.now()): 'required' | 'invalid' | 'past' | null {
  if (value.trim() === '') return 'required';
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) return 'invalid';
  if (at <= now) return 'past';
  return null;
}

export type Medal = 'bronze' | 'silver' | 'gold';
const CEREMONY: readonly Medal[] = ['bronze', 'silver', 'gold'];

/**
 * The ceremony's next step (1 bronze, 2 silver, 3 gold) for a skill released to the public, or
 * null: the ceremony reveals public results only (the server refuses it before, `results_not_public`).
 */
export function nextCeremonyStep(
  status: Pick<SkillStatus, 'state' | 'audience' | 'ceremony_step'>,
): { step: number; medal: Medal } | null {
  const isPublic = (status.state === 'published' || status.state === 'final') && status.audience === 'public';
  if (!isPublic || status.ceremony_step >= 3) return null;
  const step = Math.max(0, status.ceremony_step) + 1;
  return { step, medal: CEREMONY[step - 1] ?? 'gold' };
}

/** The medals revealed after `step` steps. */
export function revealedMedals(step: number): Medal[] {
  return CEREMONY.slice(0, Math.max(0, Math.min(3, step)));
}

/** A mark sent as a decimal string (`"77.78"`) in hundredths, or null when it is not one. */
export function hundredthsOf(mark: string): number | null {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(mark.trim());
  if (match === null) return null;
  const whole = Number(match[2]);
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const value = whole * 100 + fraction;
  return match[1] === '-' ? -value : value;
}

export interface DraftSummary {
  entries: number;
  complete: number;
  /** How each entry with unlocked sub-criteria is known (code, or delegation code). */
  incomplete: string[];
  /** Every mark of every entry is locked (and there is an entry): ratifying can succeed. */
  ready: boolean;
}

export function entryLabel(line: Pick<ResultLine, 'code' | 'delegation_code' | 'entry_id'>): string {
  if (line.code != null && line.code !== '') return line.code;
  if (line.delegation_code !== '') return line.delegation_code;
  return line.entry_id.slice(-6);
}

export function draftSummary(lines: readonly ResultLine[]): DraftSummary {
  const incomplete = lines.filter((l) => !l.complete).map(entryLabel);
  return {
    entries: lines.length,
    complete: lines.length - incomplete.length,
    incomplete,
    ready: lines.length > 0 && incomplete.length === 0,
  };
}

/** Refusals of the results workflow that the screens say in the interface language. */
export const PUBLICATION_PROBLEMS = [
  'not_all_locked',
  'already_ratified',
  'results_ratified',
  'not_ratified',
  'results_not_public',
  'audience_narrowing',
  'not_revealed',
  'ceremony_out_of_order',
  'results_not_published',
  'notice_period_over',
  'already_resolved',
  'no_awards',
  'not_configured',
  'results_embargoed',
] as const;
export type PublicationProblemCode = (typeof PUBLICATION_PROBLEMS)[number];

/**
 * How the entries a `not_all_locked` refusal names (entry ids, or codes of an anonymous skill)
 * are known on screen.
 */
export function refusedLabels(refused: readonly string[], lines: readonly ResultLine[]): string[] {
  return refused.map((id) => {
    const line = lines.find((l) => l.entry_id === id);
    return line === undefined ? id : entryLabel(line);
  });
}

/** The entries a `not_all_locked` refusal names (its `current.entries`), if it names any. */
export function refusedEntries(current: unknown): string[] {
  if (typeof current !== 'object' || current === null) return [];
  const entries = (current as { entries?: unknown }).entries;
  return Array.isArray(entries) ? entries.filter((e): e is string => typeof e === 'string') : [];
}

// ---------------------------------------------------------------------------------------------
// Result rules form

export const RULE_FIELDS = [
  'scale.centre',
  'scale.points',
  'scale.mad_factor',
  'tie_tolerance',
  'awards.medallion_threshold',
  'squad_individuals',
  'squad_teams',
  'notice_days',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RulesForm = Record<RuleField | 'awards.mode', string>;

/** The honour below the medals: the WorldSkills Medallion for Excellence or the national 优胜奖. */
export const AWARD_MODES = ['worldskills', 'national'] as const satisfies readonly AwardMode[];

function awardMode(value: string): AwardMode {
  return value === 'national' ? 'national' : 'worldskills';
}

/** Which fields take whole numbers (the scale's parameters may be fractional). */
const WHOLE: ReadonlySet<RuleField> = new Set([
  'tie_tolerance',
  'awards.medallion_threshold',
  'squad_individuals',
  'squad_teams',
  'notice_days',
]);

export function rulesToForm(rules: ResultRules): RulesForm {
  return {
    'scale.centre': String(rules.scale.centre),
    'scale.points': String(rules.scale.points),
    'scale.mad_factor': String(rules.scale.mad_factor),
    tie_tolerance: String(rules.tie_tolerance),
    'awards.medallion_threshold': String(rules.awards.medallion_threshold),
    'awards.mode': rules.awards.mode,
    squad_individuals: String(rules.squad_individuals),
    squad_teams: String(rules.squad_teams),
    notice_days: String(rules.notice_days),
  };
}

export type RuleProblem = 'required' | 'number' | 'whole' | 'negative';

/**
 * The rules a form describes, or what is wrong per field (ranges are the server's to judge;
 * this catches what cannot be sent at all). A decimal comma is accepted.
 */
export function formToRules(form: RulesForm): { ok: true; rules: ResultRules } | { ok: false; problems: Partial<Record<RuleField, RuleProblem>> } {
  const problems: Partial<Record<RuleField, RuleProblem>> = {};
  const value = {} as Record<RuleField, number>;
  for (const field of RULE_FIELDS) {
    const text = form[field].trim().replace(',', '.');
    if (text === '') {
      problems[field] = 'required';
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) problems[field] = 'number';
    else if (WHOLE.has(field) && !Number.isInteger(n)) problems[field] = 'whole';
    else if (WHOLE.has(field) && field !== 'tie_tolerance' && field !== 'awards.medallion_threshold' && n < 0) problems[field] = 'negative';
    else value[field] = n;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    rules: {
      scale: { centre: value['scale.centre'], points: value['scale.points'], mad_factor: value['scale.mad_factor'] },
      tie_tolerance: value.tie_tolerance,
      awards: { medallion_threshold: value['awards.medallion_threshold'], mode: awardMode(form['awards.mode']) },
      squad_individuals: value.squad_individuals,
      squad_teams: value.squad_teams,
      notice_days: value.notice_days,
    },
  };
}

/** Skill numbers whose ratified results keep the rules from changing (the server refuses then). */
export function rulesFrozenBy(statuses: readonly SkillStatus[]): string[] {
  return statuses.filter((s) => s.state !== 'draft' || s.ratified_at != null).map((s) => s.skill_number);
}

// ---------------------------------------------------------------------------------------------
// Disputes

/** Open disputes first, then the newest. */
export function sortDisputes(list: readonly DisputeView[]): DisputeView[] {
  return [...list].sort(
    (a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.filed_at.localeCompare(a.filed_at),
  );
}

/** Whether a team leader may dispute this result now (the server checks again). */
export function disputeWindow(view: Pick<EntryResultView, 'state' | 'notice_ends' | 'under_review'>, now: number = Date.now()): 'open' | 'over' {
  if (view.state === 'final') return 'over';
  if (view.notice_ends != null && Date.parse(view.notice_ends) <= now) return 'over';
  return 'open';
}
