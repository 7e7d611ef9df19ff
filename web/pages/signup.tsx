/** Create an account; the server signs the new user in, and the SignedOut guard moves on to `?next=`. */
import { SignupSchema } from '../../protocol/accounts.ts';
import { api, call } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Field, NewPasswordFields } from '../components/field.tsx';
import { Form, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { keepNext } from '../navigation.ts';
import type { RouteProps } from '../router.tsx';

export default function SignUp({ query }: RouteProps) {
  const { setUser } = useAuth();
  const form = useForm(SignupSchema, async (input) => {
    const result = await call(api.auth.signup.$post({ json: input }));
    if (result.ok) setUser(result.data);
    return result;
  });
  return (
    <Page title="Sign up" narrow>
      <Form form={form}>
        <Field
          form={form}
          name="username"
          label="Username"
          autocomplete="username"
          hint="3–32 characters: lowercase letters, digits or _"
        />
        <Field form={form} name="email" label="Email" type="email" autocomplete="email" />
        <NewPasswordFields form={form} label="Password" />
        <SubmitButton form={form}>Sign up</SubmitButton>
      </Form>
      <p>
        Already have an account? <a href={`/login${keepNext(query.next)}`}>Log in instead</a>
      </p>
    </Page>
  );
}
