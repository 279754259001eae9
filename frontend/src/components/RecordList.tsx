/**
 * The console's "list with a form" screens (delegations, skills, experts): a table of records,
 * each row optionally with an edit button, and a card holding the form that adds or changes a
 * record, with the problem alert, an optional status notice and the submit/cancel buttons.
 * The screens supply only their columns and fields.
 */

import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

import { ProblemAlert } from '@/components/ProblemAlert';
import type { FieldError, Problem } from '@/lib/problem';

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  className?: string;
  lang?: string;
  /** A number: right-aligned, header included. */
  num?: boolean;
  /** The row's header cell (`<th scope="row">`), e.g. the name the row is about. */
  rowHeader?: boolean;
  /** The header is for screen readers only (a column of buttons). */
  hiddenHeader?: boolean;
}

/** A column's classes: its own and `num` for numbers. */
function classes(c: { className?: string; num?: boolean }): string | undefined {
  const all = [c.className, c.num === true ? 'num' : undefined].filter((x) => x !== undefined && x !== '');
  return all.length === 0 ? undefined : all.join(' ');
}

interface RecordTableProps<T> {
  items: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (item: T) => string;
  /** Shown instead of the table when there are no items (without it, the table stays, empty). */
  empty?: string;
  /** A per-row edit button: its visible text (also the hidden column header) and accessible name. */
  edit?: { label: string; name: (item: T) => string; onEdit: (item: T) => void };
  /** The table's class, e.g. `selection-cards` (on a phone each row a card, cells labelled). */
  className?: string;
  testId?: string | undefined;
  /** Labels each cell with its column's header (`data-label`), for the card layout on phones. */
  labelled?: boolean;
  rowClassName?: (item: T) => string | undefined;
  /** A row's `data-*` attributes, e.g. `{ 'data-skill': '07' }` for the tests to find it. */
  rowData?: (item: T) => Record<`data-${string}`, string>;
}

/** A table's header row from its columns (for tables `RecordTable` does not fit, e.g. with rows between rows). */
export function TableHead({ columns }: { columns: readonly Pick<Column<unknown>, 'header' | 'num' | 'hiddenHeader'>[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c.header} scope="col" className={c.num === true ? 'num' : undefined}>
            {c.hiddenHeader === true ? <span className="visually-hidden">{c.header}</span> : c.header}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function RecordTable<T>({ items, columns, rowKey, empty, edit, className, testId, labelled, rowClassName, rowData }: RecordTableProps<T>) {
  if (items.length === 0 && empty !== undefined) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <TableHead columns={edit === undefined ? columns : [...columns, { header: edit.label, hiddenHeader: true }]} />
        <tbody>
          {items.map((item) => (
            <tr key={rowKey(item)} className={rowClassName?.(item)} {...rowData?.(item)}>
              {columns.map((c) => {
                const Cell = c.rowHeader === true ? 'th' : 'td';
                return (
                  <Cell
                    key={c.header}
                    scope={c.rowHeader === true ? 'row' : undefined}
                    className={classes(c)}
                    lang={c.lang}
                    data-label={labelled === true ? c.header : undefined}
                  >
                    {c.cell(item)}
                  </Cell>
                );
              })}
              {edit !== undefined && (
                <td>
                  <button type="button" className="button button-secondary button-small" aria-label={edit.name(item)} onClick={() => edit.onEdit(item)}>
                    {edit.label}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ConsoleFormProps {
  /** The form's state (`useForm`): its problem is shown, and cleared on each submit. */
  form: { problem: Problem | null; otherErrors: readonly FieldError[]; setProblem: (problem: Problem | null) => void };
  /** A success message; pass `null` for "none yet" to keep the live region in place. */
  notice?: string | null;
  submitLabel: string;
  busy: boolean;
  busyLabel: string;
  /** Called on submit unless busy (a second press while saving does nothing). */
  onSubmit: () => void;
  /** Shows a cancel button (when changing an existing record). */
  onCancel?: (() => void) | undefined;
  /** The fields (laid out in the form's grid). */
  children: ReactNode;
  /** What comes after the grid, before the buttons (e.g. a checkbox on its own line). */
  extra?: ReactNode;
}

/** A console form: the problem alert, an optional status notice, the fields, submit and cancel. */
export function ConsoleForm({ form, notice, submitLabel, busy, busyLabel, onSubmit, onCancel, children, extra }: ConsoleFormProps) {
  const { t } = useTranslation('console');
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        form.setProblem(null);
        onSubmit();
      }}
    >
      <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
      {notice !== undefined && <div role="status">{notice !== null && <p className="notice notice-success">{notice}</p>}</div>}
      <div className="form-grid">{children}</div>
      {extra}
      <div className="form-actions">
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

interface FormCardProps extends ConsoleFormProps {
  /** The heading's id (the card is labelled by it). */
  id: string;
  title: string;
  /** A line under the heading. */
  intro?: string;
}

/** A card with a heading and a `ConsoleForm`. */
export function FormCard({ id, title, intro, ...form }: FormCardProps) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro !== undefined && <p className="muted">{intro}</p>}
      <ConsoleForm {...form} />
    </section>
  );
}
