import { useEffect, useRef, type ReactNode } from 'react';

interface FocusNoticeProps {
  children: ReactNode;
}

/**
 * A confirmation that replaces a form. It takes the keyboard focus when it
 * appears (the focused submit button has just gone away) and is announced.
 */
export function FocusNotice({ children }: FocusNoticeProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} className="notice notice-success" role="status" tabIndex={-1}>
      {children}
    </div>
  );
}
