/**
 * The chief expert's modal form on the floor (native `<dialog>`: focus is trapped, Escape closes):
 * a title and an introduction, the form's own fields, a refusal shown in place, and Cancel beside
 * the submit button, which is disabled until `ready`.
 */

import type { ReactNode } from 'react';

import { ModalDialog } from '@/components/ModalDialog';

interface FloorDialogProps {
  title: string;
  intro: string;
  /** The refusal to show (empty: none). */
  error: string;
  ready: boolean;
  cancelLabel: string;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

export function FloorDialog({ title, intro, error, ready, cancelLabel, submitLabel, onSubmit, onClose, children }: FloorDialogProps) {
  return (
    <ModalDialog className="dialog mark-dialog" onCancel={onClose}>
      {(titleId) => (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) onSubmit();
          }}
        >
          <h2 id={titleId}>{title}</h2>
          <p>{intro}</p>
          {children}
          {error !== '' && (
            <p className="mark-notice is-error" role="alert">
              {error}
            </p>
          )}
          <div className="mark-dialog-actions">
            <button type="button" className="mark-button" onClick={onClose}>
              {cancelLabel}
            </button>
            <button type="submit" className="mark-button mark-button-primary" disabled={!ready}>
              {submitLabel}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
