/**
 * Change password: the current one, then the new one twice. The server keeps this device signed
 * in and signs out the others, and mails the account that its password was changed.
 */
import { useState } from 'preact/hooks';
import { ChangePasswordSchema } from '../../../protocol/accounts.ts';
import { api, call } from '../../api.ts';
import { Field, NewPasswordFields } from '../../components/field.tsx';
import { Form, useForm } from '../../components/form.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';

export function ChangePassword({ onChanged }: { onChanged: () => void }) {
  const [done, setDone] = useState<string>();
  const form = useForm(ChangePasswordSchema, async (input) => {
    setDone(undefined);
    const result = await call(api.auth['change-password'].$post({ json: input }));
    if (result.ok) {
      form.ref.current?.reset();
      setDone(result.data.message);
      onChanged();
    }
    return result;
  });
  return (
    <>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <Form form={form}>
        <Field
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autocomplete="current-password"
        />
        <NewPasswordFields form={form} label="New password" />
        <SubmitButton form={form}>Change password</SubmitButton>
      </Form>
    </>
  );
}
