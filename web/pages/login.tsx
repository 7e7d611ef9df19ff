/** Log in with a username or email. Setting the user is enough: the SignedOut guard moves on to `?next=`. */
import { LoginSchema } from '../../protocol/accounts.ts';
import { api, call } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Field } from '../components/field.tsx';
import { Form, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { keepNext } from '../navigation.ts';
import type { RouteProps } from '../router.tsx';

export default function LogIn({ query }: RouteProps) {
  const { setUser } = useAuth();
  const form = useForm(LoginSchema, async (input) => {
    const result = await call(api.auth.login.$post({ json: input }));
    if (result.ok) setUser(result.data);
    return result;
  });
  return (
    <Page title="Log in" narrow>
      <Form form={form}>
        <Field form={form} name="login" label="Username or email" autocomplete="username" />
        <Field form={form} name="password" label="Password" type="password" autocomplete="current-password" />
        <SubmitButton form={form}>Log in</SubmitButton>
      </Form>
      <p>
        <a href="/forgot-password">Forgot your password?</a>
      </p>
      <p>
        New to EdgeCall? <a href={`/signup${keepNext(query.next)}`}>Create an account</a>
      </p>
    </Page>
  );
}
