interface SubmitButtonProps {
  busy: boolean;
  label: string;
  busyLabel: string;
}

/**
 * The form's submit button. While busy it stays focusable (a disabled button
 * would drop the keyboard focus) and is marked `aria-disabled`; the form
 * ignores repeated submits.
 */
export function SubmitButton({ busy, label, busyLabel }: SubmitButtonProps) {
  return (
    <button type="submit" className="button" aria-disabled={busy} aria-busy={busy}>
      {busy ? busyLabel : label}
    </button>
  );
}
