/**
 * Marking-scheme helpers: problems placed on the line they belong to (the
 * server locates them by path `A`, `A/A1` or `A/A1/2`), totals, and mark
 * amounts typed as decimals ("1.5", "1,50") to and from hundredths.
 */

import type { Schemas } from '@/lib/api/queries';

export type Scheme = Schemas['Scheme'];
export type SchemeProblem = Schemas['SchemeProblem'];

/** Problems keyed by path; problems of the whole scheme under `''`. */
export function problemsByPath(problems: readonly SchemeProblem[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const p of problems) {
    const key = p.path.trim();
    byPath.set(key, [...(byPath.get(key) ?? []), p.message]);
  }
  return byPath;
}

export function aspectPath(criterion: string, sub: string, index: number): string {
  return `${criterion}/${sub}/${index + 1}`;
}

/** The sum of all aspects' maxima, in hundredths. */
export function totalHundredths(scheme: Scheme): number {
  let total = 0;
  for (const c of scheme.criteria) for (const s of c.sub_criteria) for (const a of s.aspects) total += a.max;
  return total;
}

export function countAspects(scheme: Scheme): number {
  return scheme.criteria.reduce((n, c) => n + c.sub_criteria.reduce((m, s) => m + s.aspects.length, 0), 0);
}

/** "1.5", "1,50", " 2 " → hundredths; anything else (or more than two decimals) → null. */
export function parseMarks(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function marksText(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}

// ---------------------------------------------------------------------------------------------
// Structural editing of a draft: pure functions over the scheme, so the page only wires them up.

export type Criterion = Scheme['criteria'][number];
export type SubCriterion = Criterion['sub_criteria'][number];
export type Aspect = SubCriterion['aspects'][number];
export type MeasurementKind = 'pass_fail' | 'stepped' | 'deduction';

/** A scheme's required total, in hundredths. */
export const TOTAL_HUNDREDTHS = 10_000;

/** "0, 0.5, 1,5; 2" → [0, 50, 150, 200]; null when any part is not a mark. Commas inside a
 * number are decimal marks only when followed by one or two digits and no space. */
export function parseMarksList(text: string): number[] | null {
  const parts = text
    .split(/[;\s/]+|,(?=\s)|,(?!\d)/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  const values = parts.map(parseMarks);
  return values.every((v) => v !== null) ? (values as number[]) : null;
}

export function marksListText(values: readonly number[]): string {
  return values.map(marksText).join(' / ');
}

function move<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item as T);
  return next;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The first criterion id not in use: A…Z, then AA…ZZ. */
export function nextCriterionId(scheme: Scheme): string {
  const used = new Set(scheme.criteria.map((c) => c.id));
  for (const a of LETTERS) if (!used.has(a)) return a;
  for (const a of LETTERS) for (const b of LETTERS) if (!used.has(a + b)) return a + b;
  return '';
}

/** The next sub-criterion id of a criterion: one above the highest number in use (`A3` after `A1`, `A2`). */
export function nextSubId(criterion: Criterion): string {
  let highest = 0;
  for (const s of criterion.sub_criteria) {
    const n = s.id.startsWith(criterion.id) ? Number(s.id.slice(criterion.id.length)) : NaN;
    if (Number.isInteger(n) && n > highest) highest = n;
  }
  return `${criterion.id}${highest + 1}`;
}

export function newAspect(type: Aspect['type'], day = 1): Aspect {
  return type === 'judgement'
    ? { type: 'judgement', descriptors: ['', '', '', ''], description: '', max: 100, day }
    : { type: 'measurement', measurement: { kind: 'pass_fail' }, description: '', max: 100, day };
}

export function addCriterion(scheme: Scheme): Scheme {
  const id = nextCriterionId(scheme);
  return { criteria: [...scheme.criteria, { id, name: '', sub_criteria: [{ id: `${id}1`, name: '', aspects: [newAspect('measurement')] }] }] };
}

export function removeCriterion(scheme: Scheme, ci: number): Scheme {
  return { criteria: scheme.criteria.filter((_, i) => i !== ci) };
}

export function moveCriterion(scheme: Scheme, ci: number, delta: number): Scheme {
  return { criteria: move(scheme.criteria, ci, delta) };
}

/**
 * Changes a criterion's id; once the new id is valid its sub-criteria follow (`A1` → `B1`), also
 * when the old id was cleared on the way (`A` → `` → `B`).
 */
export function renameCriterion(scheme: Scheme, ci: number, id: string): Scheme {
  return {
    criteria: scheme.criteria.map((c, i) => {
      if (i !== ci) return c;
      if (!criterionIdOk(id)) return { ...c, id };
      const sub_criteria = c.sub_criteria.map((s) => {
        const number = /^[A-Z]{0,2}(\d+)$/.exec(s.id)?.[1];
        return number === undefined ? s : { ...s, id: id + number };
      });
      return { ...c, id, sub_criteria };
    }),
  };
}

function withCriterion(scheme: Scheme, ci: number, change: (c: Criterion) => Criterion): Scheme {
  return { criteria: scheme.criteria.map((c, i) => (i === ci ? change(c) : c)) };
}

function withSub(scheme: Scheme, ci: number, si: number, change: (s: SubCriterion) => SubCriterion): Scheme {
  return withCriterion(scheme, ci, (c) => ({ ...c, sub_criteria: c.sub_criteria.map((s, j) => (j === si ? change(s) : s)) }));
}

export function addSub(scheme: Scheme, ci: number): Scheme {
  return withCriterion(scheme, ci, (c) => ({
    ...c,
    sub_criteria: [...c.sub_criteria, { id: nextSubId(c), name: '', aspects: [newAspect('measurement')] }],
  }));
}

export function removeSub(scheme: Scheme, ci: number, si: number): Scheme {
  return withCriterion(scheme, ci, (c) => ({ ...c, sub_criteria: c.sub_criteria.filter((_, j) => j !== si) }));
}

export function moveSub(scheme: Scheme, ci: number, si: number, delta: number): Scheme {
  return withCriterion(scheme, ci, (c) => ({ ...c, sub_criteria: move(c.sub_criteria, si, delta) }));
}

export function updateSub(scheme: Scheme, ci: number, si: number, change: Partial<Pick<SubCriterion, 'id' | 'name'>>): Scheme {
  return withSub(scheme, ci, si, (s) => ({ ...s, ...change }));
}

export function updateCriterionName(scheme: Scheme, ci: number, name: string): Scheme {
  return withCriterion(scheme, ci, (c) => ({ ...c, name }));
}

/** Adds an aspect at the end of a sub-criterion, marked on the same day as the one before it. */
export function addAspect(scheme: Scheme, ci: number, si: number, type: Aspect['type']): Scheme {
  return withSub(scheme, ci, si, (s) => ({ ...s, aspects: [...s.aspects, newAspect(type, s.aspects.at(-1)?.day ?? 1)] }));
}

export function removeAspect(scheme: Scheme, ci: number, si: number, ai: number): Scheme {
  return withSub(scheme, ci, si, (s) => ({ ...s, aspects: s.aspects.filter((_, k) => k !== ai) }));
}

export function moveAspect(scheme: Scheme, ci: number, si: number, ai: number, delta: number): Scheme {
  return withSub(scheme, ci, si, (s) => ({ ...s, aspects: move(s.aspects, ai, delta) }));
}

export function updateAspect(scheme: Scheme, ci: number, si: number, ai: number, change: (a: Aspect) => Aspect): Scheme {
  return withSub(scheme, ci, si, (s) => ({ ...s, aspects: s.aspects.map((a, k) => (k === ai ? change(a) : a)) }));
}

/** The aspect as the other type (M ↔ J), keeping what both have. */
export function withType(aspect: Aspect, type: Aspect['type']): Aspect {
  if (aspect.type === type) return aspect;
  const common = {
    description: aspect.description,
    extra_description: aspect.extra_description ?? '',
    requirement: aspect.requirement ?? '',
    max: aspect.max,
    day: aspect.day,
    wsos_section: aspect.wsos_section ?? null,
  };
  return type === 'judgement'
    ? { ...common, type: 'judgement', descriptors: ['', '', '', ''] }
    : { ...common, type: 'measurement', measurement: { kind: 'pass_fail' } };
}

/** A measurement aspect marked another way; a new stepped list is 0 and the max, a new step a quarter mark. */
export function withMeasurement(aspect: Aspect, kind: MeasurementKind): Aspect {
  if (aspect.type !== 'measurement' || aspect.measurement.kind === kind) return aspect;
  const measurement =
    kind === 'stepped'
      ? { kind, allowed: [0, aspect.max] }
      : kind === 'deduction'
        ? { kind, step: Math.min(25, Math.max(1, aspect.max)) }
        : { kind };
  return { ...aspect, measurement };
}

export type LocalProblemCode =
  | 'no_criteria'
  | 'criterion_id'
  | 'criterion_twice'
  | 'criterion_name'
  | 'criterion_empty'
  | 'sub_id'
  | 'sub_twice'
  | 'sub_empty'
  | 'aspect_description'
  | 'aspect_max'
  | 'aspect_day'
  | 'judgement_descriptors'
  | 'stepped_amounts'
  | 'stepped_max'
  | 'deduction_step'
  | 'total';

/** A problem found in the browser, located like the server's and translated by its code. */
export interface LocalProblem {
  path: string;
  code: LocalProblemCode;
  params: ProblemParams;
}

export interface ProblemParams {
  id?: string;
  criterion?: string;
  max?: string;
  day?: string;
  total?: string;
}

const criterionIdOk = (id: string) => /^[A-Z]{1,2}$/.test(id);
const subIdOk = (criterion: string, id: string) => {
  if (!id.startsWith(criterion)) return false;
  return /^[1-9]\d{0,2}$/.test(id.slice(criterion.length));
};

/**
 * The server's checks (`domain::scheme::Scheme::problems`), run while the chief expert edits,
 * in the same order and at the same paths; the server still decides on saving and freezing.
 */
export function schemeProblems(scheme: Scheme): LocalProblem[] {
  const out: LocalProblem[] = [];
  const push = (path: string, code: LocalProblemCode, params: ProblemParams = {}) => out.push({ path, code, params });
  if (scheme.criteria.length === 0) push('', 'no_criteria');
  const criterionIds = new Set<string>();
  const subIds = new Set<string>();
  for (const c of scheme.criteria) {
    if (!criterionIdOk(c.id)) push(c.id, 'criterion_id', { id: c.id });
    if (criterionIds.has(c.id)) push(c.id, 'criterion_twice', { id: c.id });
    criterionIds.add(c.id);
    if (c.name.trim() === '') push(c.id, 'criterion_name');
    if (c.sub_criteria.length === 0) push(c.id, 'criterion_empty');
    for (const s of c.sub_criteria) {
      const subPath = `${c.id}/${s.id}`;
      if (!subIdOk(c.id, s.id)) push(subPath, 'sub_id', { id: s.id, criterion: c.id });
      if (subIds.has(s.id)) push(subPath, 'sub_twice', { id: s.id });
      subIds.add(s.id);
      if (s.aspects.length === 0) push(subPath, 'sub_empty');
      s.aspects.forEach((a, i) => {
        const path = `${subPath}/${i + 1}`;
        if (a.description.trim() === '') push(path, 'aspect_description');
        if (a.max <= 0 || a.max > TOTAL_HUNDREDTHS) push(path, 'aspect_max', { max: marksText(a.max) });
        if (a.day < 1 || a.day > 4) push(path, 'aspect_day', { day: String(a.day) });
        if (a.type === 'judgement') {
          if (a.descriptors.length !== 4 || a.descriptors.some((d) => d.trim() === '')) push(path, 'judgement_descriptors');
        } else if (a.measurement.kind === 'stepped') {
          const allowed = a.measurement.allowed;
          const distinct = new Set(allowed);
          if (allowed.length < 2 || distinct.size !== allowed.length || allowed.some((v) => v < 0 || v > a.max)) {
            push(path, 'stepped_amounts');
          } else if (!allowed.includes(a.max)) {
            push(path, 'stepped_max');
          }
        } else if (a.measurement.kind === 'deduction') {
          if (a.measurement.step <= 0 || a.measurement.step > a.max) push(path, 'deduction_step');
        }
      });
    }
  }
  const total = totalHundredths(scheme);
  if (total !== TOTAL_HUNDREDTHS) push('', 'total', { total: marksText(total) });
  return out;
}

/** Where the total stands against 100.00: what is left to give (negative: over). */
export function remainingHundredths(scheme: Scheme): number {
  return TOTAL_HUNDREDTHS - totalHundredths(scheme);
}
