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
}

interface RecordTableProps<T> {
  items: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (item: T) => string;
  /** Shown instead of the table when there are no items. */
  empty: string;
  /** A per-row edit button: its visible text (also the hidden column header) and accessible name. */
  edit?: { label: string; name: (item: T) => string; onEdit: (item: T) => void };
}

export function RecordTable<T>({ items, columns, rowKey, empty, edit }: RecordTableProps<T>) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            {edit !== undefined && (
              <th scope="col">
                <span className="visually-hidden">{edit.label}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={rowKey(item)}>
              {columns.map((c) => (
                <td key={c.header} className={c.className} lang={c.lang}>
                  {c.cell(item)}
                </td>
              ))}
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

interface FormCardProps {
  /** The heading's id (the card is labelled by it). */
  id: string;
  title: string;
  /** The form's state (`useForm`): its problem is shown, and cleared on each submit. */
  form: { problem: Problem | null; otherErrors: readonly FieldError[]; setProblem: (problem: Problem | null) => void };
  /** A success message; pass `null` for "none yet" to keep the live region in place. */
  notice?: string | null;
  submitLabel: string;
  busy: boolean;
  busyLabel: string;
  onSubmit: () => void;
  /** Shows a cancel button (when changing an existing record). */
  onCancel?: (() => void) | undefined;
  /** The fields. */
  children: ReactNode;
}

export function FormCard({ id, title, form, notice, submitLabel, busy, busyLabel, onSubmit, onCancel, children }: FormCardProps) {
  const { t } = useTranslation('console');
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          form.setProblem(null);
          onSubmit();
        }}
      >
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
        {notice !== undefined && <div role="status">{notice !== null && <p className="notice notice-success">{notice}</p>}</div>}
        <div className="form-grid">{children}</div>
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
    </section>
  );
}
