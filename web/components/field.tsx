/**
 * A labelled input with its hint and error beside it. The error is tied to the input
 * (aria-invalid, aria-describedby), so a screen reader reads it when the field gets focus.
 *
 * @example <Field form={form} name="email" label="Email" type="email" autocomplete="email" />
 */
import { PASSWORD_MIN } from '../../protocol/accounts.ts';
import type { FormState } from './form.tsx';

interface FieldProps {
  form: FormState;
  /** The request body's key; also the input's name and, prefixed, its id. */
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete: string;
  hint?: string;
}

export function Field({ form, name, label, type = 'text', autocomplete, hint }: FieldProps) {
  const id = `field-${name}`;
  const error = form.errors[name];
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        // Preact types each input type separately and cannot check a union of them at once.
        type={type as 'text'}
        autocomplete={autocomplete}
        required
        // Usernames and emails are not prose: no capitals or corrections from phone keyboards.
        autocapitalize="none"
        spellcheck={false}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A new password and its confirmation (sign up, reset), with the rule the server applies. */
export function NewPasswordFields({ form, label }: { form: FormState; label: 'Password' | 'New password' }) {
  return (
    <>
      <Field
        form={form}
        name="password"
        label={label}
        type="password"
        autocomplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters`}
      />
      <Field form={form} name="confirmPassword" label="Confirm password" type="password" autocomplete="new-password" />
    </>
  );
}
