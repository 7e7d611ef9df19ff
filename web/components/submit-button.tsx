/**
 * A form's submit button. While the request is in flight it is disabled, so a double click sends
 * nothing twice; its name stays the same ("Log in"), and the form's aria-busy tells assistive
 * technology that work is under way.
 */
import type { ComponentChildren } from 'preact';
import type { FormState } from './form.tsx';

export function SubmitButton({ form, children }: { form: FormState; children: ComponentChildren }) {
  return (
    <button type="submit" class="primary" disabled={form.pending}>
      {children}
    </button>
  );
}
