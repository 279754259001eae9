import { useId, type InputHTMLAttributes } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby' | 'children'>;

export interface TextFieldProps extends InputProps {
  label: string;
  /** Help shown under the label and announced with the field. */
  hint?: string | undefined;
  /** The current error; marks the field invalid and is announced with it. */
  error?: string | undefined;
  /** Shown after the label for optional fields, e.g. "(optional)". */
  optionalText?: string | undefined;
}

/** A labelled input with an optional hint and error, tied together for assistive technology. */
export function TextField({ label, hint, error, optionalText, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : null, error !== undefined ? errorId : null]
    .filter((part) => part !== null)
    .join(' ');

  return (
    <div className={error === undefined ? 'field' : 'field field-invalid'}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optionalText !== undefined && <span className="field-optional"> {optionalText}</span>}
      </label>
      {hint !== undefined && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        {...input}
        id={id}
        className={className === undefined ? 'field-input' : `field-input ${className}`}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      />
      {error !== undefined && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
