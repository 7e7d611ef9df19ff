/**
 * Home's contacts section (protocol/contacts.ts): add a contact by username, answer contact
 * requests, and for each contact their presence, whether this browser verified their device (the
 * safety code, web/call/safety/), Call and Remove contact. Presence and calling come from the user
 * line (contacts-line.ts).
 */
import type { InferResponseType } from 'hono/client';
import { useMemo, useState } from 'preact/hooks';
import { api, call } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { VerifiedDevices } from '../../call/safety/verified-devices.ts';
import { type ContactsLine, PRESENCE_WORDS, usePresenceChanges } from './contacts-line.ts';

export type ContactList = InferResponseType<typeof api.contacts.$get, 200>;

interface Props {
  list: ContactList | undefined;
  reload: () => void;
  line: ContactsLine | undefined;
}

export function HomeContacts({ list, reload, line }: Props) {
  const [status, setStatus] = useState<{ text: string; error?: true }>();
  const [pending, setPending] = useState(false);
  // Home shows for a signed-in user only (SignedIn, auth.tsx).
  const ownUserId = useAuth().user?.id ?? '';
  const verified = useMemo(() => new VerifiedDevices(ownUserId), [ownUserId]);
  usePresenceChanges(line);

  /** Runs a change, then says how it went and reloads the list. */
  const change = async (request: Promise<{ ok: true } | { ok: false; error: { message: string } }>, done: string) => {
    setPending(true);
    const result = await request;
    setPending(false);
    setStatus(result.ok ? { text: done } : { text: result.error.message, error: true });
    reload();
    return result.ok;
  };

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const username = String(new FormData(form).get('username') ?? '');
    const result = await call(api.contacts.$post({ json: { username } }));
    const done =
      result.ok && 'contact' in result.data
        ? `${result.data.contact.username} is now your contact.`
        : `Request sent. They will see it on their Home.`;
    if (await change(Promise.resolve(result), done)) form.reset();
  };

  const contactError = status?.error ? 'contact-status' : undefined;
  return (
    <>
      <form class="inline-form" onSubmit={add} noValidate>
        <div class="field">
          <label for="contact-username">Contact's username</label>
          <input
            id="contact-username"
            name="username"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            required
            aria-invalid={contactError ? 'true' : undefined}
            aria-describedby={contactError}
          />
        </div>
        <button type="submit" disabled={pending}>
          Add contact
        </button>
      </form>
      {status && (
        <p id="contact-status" class={status.error ? 'form-error' : 'hint'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
      {!!list?.incoming.length && (
        <section aria-labelledby="requests-heading">
          <h3 id="requests-heading">Contact requests</h3>
          <ul class="rows">
            {list.incoming.map(({ userId, username }) => {
              const param = { param: { userId } };
              return (
                <li key={userId}>
                  <span>{username} wants to add you as a contact</span>
                  <button
                    type="button"
                    disabled={pending}
                    aria-label={`Accept contact ${username}`}
                    onClick={() =>
                      change(
                        call(api.contacts.requests[':userId'].accept.$post(param)),
                        `${username} is now your contact.`,
                      )
                    }
                  >
                    Accept contact
                  </button>
                  <button
                    type="button"
                    disabled={pending}
                    aria-label={`Decline contact ${username}`}
                    onClick={() =>
                      change(call(api.contacts.requests[':userId'].decline.$post(param)), 'Request declined.')
                    }
                  >
                    Decline contact
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {!!list?.outgoing.length && (
        <ul class="rows" aria-label="Requests you sent">
          {list.outgoing.map(({ userId, username }) => (
            <li key={userId}>
              <span class="hint">Waiting for an answer from {username}</span>
              <button
                type="button"
                disabled={pending}
                aria-label={`Withdraw request to ${username}`}
                onClick={() =>
                  change(call(api.contacts.requests[':userId'].$delete({ param: { userId } })), 'Request withdrawn.')
                }
              >
                Withdraw request
              </button>
            </li>
          ))}
        </ul>
      )}
      {list && !list.contacts.length && <p class="hint">No contacts yet.</p>}
      <ul class="rows">
        {list?.contacts.map((contact) => (
          <li key={contact.userId}>
            <span>
              {contact.username}{' '}
              <span class="hint">{PRESENCE_WORDS[line?.presenceOf(contact.userId) ?? 'offline']}</span>
              {verified.isVerified(contact.userId) && (
                <>
                  {' '}
                  <span class="verified-note">Verified</span>
                </>
              )}
            </span>
            <button
              type="button"
              class="primary"
              disabled={!line}
              aria-label={`Call ${contact.username}`}
              onClick={() => line?.call(contact)}
            >
              Call
            </button>
            <button
              type="button"
              disabled={pending}
              aria-label={`Remove contact ${contact.username}`}
              onClick={() =>
                change(
                  call(api.contacts[':userId'].$delete({ param: { userId: contact.userId } })),
                  `${contact.username} is no longer your contact.`,
                )
              }
            >
              Remove contact
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
