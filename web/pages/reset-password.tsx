/**
 * Choose a new password with the token from a mailed link (`/reset-password?token=…`). The reset
 * logs the account out everywhere, this browser included, so the page ends with a way to Log in.
 */
import { useEffect, useState } from 'preact/hooks';
import { ResetPasswordSchema } from '../../protocol/accounts.ts';
import { api, call } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { NewPasswordFields } from '../components/field.tsx';
import { Form, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import type { RouteProps } from '../router.tsx';

export default function ResetPassword({ query }: RouteProps) {
  const { setUser } = useAuth();
  const [done, setDone] = useState(false);
  // Read once, then taken out of the address bar: it would otherwise stay in history, bookmarks
  // and screenshots, and ride along as Referer. From here on it travels only in the POST body.
  const [token] = useState(query.token ?? '');
  useEffect(forgetTokenInAddressBar, []);
  // The token rides along with the fields; a bad one is reported on the form, not on a field.
  const form = useForm(
    ResetPasswordSchema,
    async (input) => {
      const result = await call(api.auth['reset-password'].$post({ json: input }));
      if (result.ok) {
        setDone(true);
        setUser(null);
      }
      return result;
    },
    { token },
  );
  if (done) {
    return (
      <Page title="Password reset" narrow>
        <p class="notice" role="status">
          Your password has been reset, and every device was logged out.
        </p>
        <p>
          <a href="/login">Log in with your new password</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Reset password" narrow>
      <Form form={form}>
        <NewPasswordFields form={form} label="New password" />
        <SubmitButton form={form}>Reset password</SubmitButton>
      </Form>
      <p>
        Link expired or already used? <a href="/forgot-password">Request a new link</a>
      </p>
    </Page>
  );
}

function forgetTokenInAddressBar(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
