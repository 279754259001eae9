import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { ModalDialog } from '@/components/ModalDialog';

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
  return (
    <ModalDialog open={open} className="dialog" onCancel={onCancel}>
      {(titleId) => (
        <>
          <h2 id={titleId}>{title}</h2>
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
        </>
      )}
    </ModalDialog>
  );
}
