import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  /** Disables the confirm button (e.g. a required reason is empty). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation (native `<dialog>`: focus is trapped and Escape
 * cancels). The cancel button has the focus first, so Enter never confirms
 * by accident.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation('console');
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} autoFocus>
          {t('cancel')}
        </button>
        <button
          type="button"
          className="button"
          aria-disabled={busy || confirmDisabled}
          onClick={() => {
            if (!busy && !confirmDisabled) onConfirm();
          }}
        >
          {busy ? t('working') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
