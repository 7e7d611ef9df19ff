/**
 * Forms checked with the server's own valibot schemas (protocol/accounts.ts) before they are
 * sent, so a user sees the same rule, worded the same way, with no round trip. `useForm` owns the
 * state (errors per field, a form-level error, pending); `<Form>` renders the form and its
 * form-level error; `<Field>` and `<SubmitButton>` take what they need from the same object.
 *
 * Inputs are uncontrolled: the values are read from the form on submit, so typing re-renders nothing.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import * as v from 'valibot';
import type { ApiResult } from '../api.ts';

export interface FormState {
  /** Message per field name, shown beside the field. */
  errors: Record<string, string>;
  /** A message that belongs to no field of this form (a network failure, an expired link). */
  formError: string | undefined;
  pending: boolean;
  onSubmit(event: SubmitEvent): void;
  ref: { current: HTMLFormElement | null };
}

/**
 * @param extra values that are not fields of the form but part of the request (e.g. a reset token)
 * @param submit sends the checked input; a failed result is shown beside its field or on the form
 */
export function useForm<S extends v.GenericSchema<Record<string, unknown>>>(
  schema: S,
  submit: (input: v.InferInput<S>) => Promise<ApiResult<unknown>>,
  extra: Record<string, string> = {},
): FormState {
  const ref = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // After a failed attempt has rendered its messages, take the user to the first field to fix.
  useEffect(() => {
    if (attempt > 0) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const show = (messages: Record<string, string>) => {
    const isField = (name: string) => ref.current?.elements.namedItem(name) != null;
    const own = Object.entries(messages);
    setErrors(Object.fromEntries(own.filter(([name]) => isField(name))));
    setFormError(own.find(([name]) => !isField(name))?.[1]);
    setAttempt((n) => n + 1);
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = ref.current;
    if (pending || !form) return;
    const input = { ...Object.fromEntries(new FormData(form)), ...extra };
    const checked = v.safeParse(schema, input);
    if (!checked.success) return show(messagesByField(checked.issues));
    setErrors({});
    setFormError(undefined);
    setPending(true);
    // Send what the user typed: the server applies the same schema and normalises it itself.
    const result = await submit(input as v.InferInput<S>);
    setPending(false);
    if (!result.ok) show({ [result.error.field ?? '']: result.error.message });
  };

  return { errors, formError, pending, onSubmit, ref };
}

/** The first message for each field (valibot lists issues in field order). */
function messagesByField(issues: v.BaseIssue<unknown>[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of issues) messages[v.getDotPath(issue) ?? ''] ??= issue.message;
  return messages;
}

/** A form wired to `useForm`, with its form-level error announced at the top. */
export function Form({ form, children }: { form: FormState; children: ComponentChildren }) {
  return (
    <form ref={form.ref} onSubmit={form.onSubmit} noValidate aria-busy={form.pending}>
      {form.formError && (
        <p class="form-error" role="alert">
          {form.formError}
        </p>
      )}
      {children}
    </form>
  );
}
