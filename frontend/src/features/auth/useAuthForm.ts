/**
 * Form state shared by the authentication pages: values, client-side checks
 * shown once a field has been left (or the form submitted) and then updated
 * as the person types, server field errors (cleared when the field changes),
 * and the problem shown in the form's alert area.
 */

import { useCallback, useEffect, useEffectEvent, useRef, useState, type ChangeEvent, type FormEvent } from 'react';

import { useLocale } from '@/lib/locale';
import { splitFieldErrors, type FieldError, type Problem } from '@/lib/problem';

import { fieldMessage, serverFieldMessage } from './fieldMessages';
import { formAlertText } from './formAlert';
import { hasIssues, type FieldIssues } from './validation';

export interface FieldBinding {
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onBlur: () => void;
  error: string | undefined;
}

interface Options<F extends string> {
  initialValues: Record<F, string>;
  validate: (values: Readonly<Record<F, string>>) => FieldIssues<F>;
}

/**
 * What the submit action returns: `null` on success, otherwise the problem.
 * Problems with code `aborted` are ignored (the page went away).
 */
export type SubmitAction<F extends string> = (values: Readonly<Record<F, string>>) => Promise<Problem | null>;

export function useAuthForm<F extends string>({ initialValues, validate }: Options<F>) {
  const { t } = useLocale();
  const [values, setValues] = useState<Record<F, string>>(initialValues);
  const [touched, setTouched] = useState<Partial<Record<F, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<F, string>>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [focusRequest, setFocusRequest] = useState(0);
  const submittingRef = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  const fields = Object.keys(initialValues) as F[];
  const issues = validate(values);

  // What was typed (or filled in by a password manager) into the page's own form before this
  // script ran (the sign-in page arrives already rendered): the form's values from then on.
  const adoptTyped = useEffectEvent(() => {
    const form = formRef.current;
    if (form === null) return;
    for (const field of fields) {
      const input = form.elements.namedItem(field);
      if (input instanceof HTMLInputElement && input.value !== initialValues[field]) setValue(field, input.value);
    }
  });
  // Once, after the first render: later values come through onChange.
  useEffect(() => adoptTyped(), []);

  // After a failed submit, put the keyboard focus on the first invalid field.
  useEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const errorFor = (field: F): string | undefined => {
    const server = serverErrors[field];
    if (server !== undefined) return serverFieldMessage(server, t);
    const issue = issues[field];
    if (issue !== undefined && (submitted || touched[field] === true)) return fieldMessage(issue, t);
    return undefined;
  };

  const setValue = useCallback((field: F, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setServerErrors((current) => {
      if (current[field] === undefined) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });
  }, []);

  const bind = (field: F): FieldBinding => ({
    name: field,
    value: values[field],
    onChange: (event) => setValue(field, event.target.value),
    onBlur: () => setTouched((current) => (current[field] === true ? current : { ...current, [field]: true })),
    error: errorFor(field),
  });

  /**
   * Shows the outcome of a submission the page's script did not make: the form posted by the
   * browser before the script had run, answered by the server with a redirect back here.
   */
  const showFailure = useCallback((failure: Problem) => {
    setSubmitted(true);
    if (failure.code !== 'validation_failed') setProblem(failure);
  }, []);

  const anyFieldError = fields.some((field) => errorFor(field) !== undefined);

  const alert = formAlertText({ problem, otherErrors, submitted, anyFieldError }, t);

  const onSubmit = (action: SubmitAction<F>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submittingRef.current) return;
    setSubmitted(true);
    setProblem(null);
    setOtherErrors([]);
    if (hasIssues(issues)) {
      setFocusRequest((n) => n + 1);
      return;
    }
    submittingRef.current = true;
    setSubmitting(true);
    try {
      const result = await action(values);
      if (result === null || result.code === 'aborted') return;
      const { byField, other } = splitFieldErrors(result, fields);
      setServerErrors(byField);
      setOtherErrors(other);
      setProblem(result);
      if (Object.keys(byField).length > 0) setFocusRequest((n) => n + 1);
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  };

  return { values, bind, onSubmit, submitting, alert, formRef, showFailure };
}
