/**
 * Form state for the console's forms: values, and the server's field errors
 * (from a problem+json answer) placed next to their fields; errors for fields
 * the form does not have are kept for the form's alert.
 */

import { useCallback, useState, type ChangeEvent } from 'react';

import { splitFieldErrors, type FieldError, type Problem } from '@/lib/problem';

export interface FieldProps {
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => void;
  error: string | undefined;
}

export function useForm<F extends string>(initial: Record<F, string>) {
  const [values, setValues] = useState<Record<F, string>>(initial);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const [problem, setProblemState] = useState<Problem | null>(null);
  const fields = Object.keys(initial) as F[];

  const setValue = useCallback((field: F, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    // The person is fixing this field: its old server error no longer applies.
    setFieldErrors((current) => {
      if (current[field] === undefined) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });
  }, []);

  const setProblem = (next: Problem | null) => {
    setProblemState(next);
    if (next === null) {
      setFieldErrors({});
      setOtherErrors([]);
      return;
    }
    const { byField, other } = splitFieldErrors(next, fields);
    setFieldErrors(byField);
    setOtherErrors(other);
  };

  const bind = (field: F): FieldProps => ({
    name: field,
    value: values[field],
    onChange: (event) => setValue(field, event.target.value),
    error: fieldErrors[field],
  });

  return {
    values,
    setValue,
    setValues,
    bind,
    problem,
    setProblem,
    otherErrors,
    reset: () => {
      setValues(initial);
      setProblem(null);
    },
  };
}
