/**
 * An import problem in the interface language: the server sends a stable code with parameters
 * (and an English `message` for other clients); the column is the canonical column name.
 */

import type { Schemas } from '@/lib/api/queries';

import { organiserMessages } from './messages';

export type RowProblem = Schemas['RowProblem'];
export type ImportProblemCode = Schemas['ImportProblemCode'];
type Key = Extract<keyof (typeof organiserMessages)['en'], `importProblem_${string}` | `importColumn_${string}`>;
type Translate = (key: Key, params: Record<string, unknown>) => string;

/** Every code, so a new one fails the type check until it is worded. */
const PROBLEM_KEYS: Record<ImportProblemCode, Key> = {
  missing_column: 'importProblem_missing_column',
  no_data_rows: 'importProblem_no_data_rows',
  required: 'importProblem_required',
  too_long: 'importProblem_too_long',
  invalid: 'importProblem_invalid',
  invalid_kind: 'importProblem_invalid_kind',
  invalid_position: 'importProblem_invalid_position',
  delegation_exists: 'importProblem_delegation_exists',
  duplicate: 'importProblem_duplicate',
  unknown_delegation: 'importProblem_unknown_delegation',
  unknown_skill: 'importProblem_unknown_skill',
  skill_closed: 'importProblem_skill_closed',
  age_limit: 'importProblem_age_limit',
  id_number_exists: 'importProblem_id_number_exists',
  team_full: 'importProblem_team_full',
  too_many_entries: 'importProblem_too_many_entries',
  expert_exists: 'importProblem_expert_exists',
};

/** The column's name in the interface language (an unknown header as the file has it). */
export function columnName(column: string, t: Translate): string {
  const key = `importColumn_${column}`;
  return key in organiserMessages.en ? t(key as Key, {}) : column;
}

/** What is wrong, worded from the code (the server's English text only for a problem without one). */
export function problemText(p: RowProblem, t: Translate): string {
  if (p.code == null) return p.message;
  return t(PROBLEM_KEYS[p.code], { ...(p.params ?? {}), column: columnName(p.column, t) });
}
