/**
 * Home for a signed-in user: a greeting, Account and Log out, the calls section where a call starts or is
 * joined (filled in by the call feature, web/pages/call/), contacts, missed and recent calls. Presence and
 * calling come from the user line (contacts-line.ts).
 */
import { useContext, useEffect, useState } from 'preact/hooks';
import { api, call } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Page } from '../../components/page.tsx';
import { LineContext, useLineChange } from './contacts-line.ts';
import { HomeCalls } from './home-calls.tsx';
import { type ContactList, HomeContacts } from './home-contacts.tsx';
import { HomeHistory } from './home-history.tsx';

export default function Home() {
  const { user } = useAuth();
  const line = useContext(LineContext);
  const [contacts, setContacts] = useState<ContactList>();
  const reload = () => void call(api.contacts.$get()).then((result) => result.ok && setContacts(result.data));
  useEffect(reload, []);
  useLineChange(line, 'contacts', reload);
  if (!user) return null; // Only rendered under SignedIn, which waits for the user.
  const isContact = (userId: string) => !!contacts?.contacts.some((contact) => contact.userId === userId);
  return (
    <Page title="Home" heading={`Hello, ${user.username}`} actions={<HeaderActions />}>
      <p>Signed in as {user.email}.</p>
      <section class="calls" aria-labelledby="calls-heading">
        <h2 id="calls-heading">Calls</h2>
        <HomeCalls />
        <HomeHistory line={line} isContact={isContact} />
      </section>
      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">Contacts</h2>
        <HomeContacts list={contacts} reload={reload} line={line} />
      </section>
    </Page>
  );
}

/**
 * The Account link, and Log out: it ends the session on the server; clearing the user then sends
 * SignedIn to Log in.
 */
function HeaderActions() {
  const { setUser } = useAuth();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const logOut = async () => {
    setPending(true);
    const result = await call(api.auth.logout.$post());
    setPending(false);
    if (result.ok) setUser(null);
    else setError(result.error.message);
  };
  return (
    <div class="header-actions">
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <a href="/account">Account</a>
      <button type="button" onClick={logOut} disabled={pending}>
        Log out
      </button>
    </div>
  );
}
