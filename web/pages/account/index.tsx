/**
 * The Account page (/account, linked from Home): the signed-in devices, each of which can be
 * signed out, and Change password. A password change signs out the other devices, so the list
 * is read again after one.
 */
import './account.css';
import { useState } from 'preact/hooks';
import { Page } from '../../components/page.tsx';
import { ChangePassword } from './change-password.tsx';
import { SignedInDevices } from './devices.tsx';

export default function Account() {
  const [passwordChanges, setPasswordChanges] = useState(0);
  return (
    <Page title="Account">
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Signed-in devices</h2>
        <SignedInDevices reloadKey={passwordChanges} />
      </section>
      <section class="change-password" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ChangePassword onChanged={() => setPasswordChanges((n) => n + 1)} />
      </section>
    </Page>
  );
}
