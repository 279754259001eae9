import type { ReactNode } from 'react';

interface FormAlertProps {
  message: string | null | undefined;
  details?: readonly string[] | undefined;
  /** Extra content under the message, e.g. a link to a way out. */
  children?: ReactNode;
}

/**
 * The form's alert area. The `role="alert"` region is always in the page, so
 * screen readers reliably announce text that appears in it.
 */
export function FormAlert({ message, details = [], children }: FormAlertProps) {
  const shown = message !== null && message !== undefined && message !== '';
  return (
    <div role="alert" className={shown ? 'form-alert' : 'form-alert form-alert-empty'}>
      {shown && (
        <>
          <p>{message}</p>
          {details.length > 0 && (
            <ul>
              {details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
          {children}
        </>
      )}
    </div>
  );
}
