/**
 * Ask for a reset link. The answer is the same whether or not an account uses the address, so
 * this page cannot be used to find out who has an account.
 */
import { useState } from 'preact/hooks';
import { ForgotPasswordSchema } from '../../protocol/accounts.ts';
import { api, call } from '../api.ts';
import { Field } from '../components/field.tsx';
import { Form, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { SubmitButton } from '../components/submit-button.tsx';

export default function ForgotPassword() {
  const [sent, setSent] = useState(false);
  const form = useForm(ForgotPasswordSchema, async (input) => {
    const result = await call(api.auth['forgot-password'].$post({ json: input }));
    if (result.ok) setSent(true);
    return result;
  });
  return (
    <Page title="Forgot password" narrow>
      {sent ? (
        <p class="notice" role="status">
          If an account exists for that email, we sent a link to choose a new password. Check your inbox.
        </p>
      ) : (
        <Form form={form}>
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
          <Field form={form} name="email" label="Email" type="email" autocomplete="email" />
          <SubmitButton form={form}>Send reset link</SubmitButton>
        </Form>
      )}
      <p>
        <a href="/login">Back to Log in</a>
      </p>
    </Page>
  );
}
