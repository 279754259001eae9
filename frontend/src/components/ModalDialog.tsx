import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalDialogProps {
  /** Shown as a modal while true (by default from mount to unmount). */
  open?: boolean;
  className: string;
  /** Escape (the dialog's cancel event): the dialog stays as it is until this closes it. */
  onCancel: () => void;
  /** The content, given the id its title heading must carry (the dialog is labelled by it). */
  children: (titleId: string) => ReactNode;
}

/** A native modal `<dialog>`: focus is trapped and Escape calls `onCancel`. */
export function ModalDialog({ open = true, className, onCancel, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `${useId()}-title`;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children(titleId)}
    </dialog>
  );
}
