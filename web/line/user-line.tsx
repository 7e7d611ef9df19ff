/**
 * The user line's place in the app shell, kept tiny because every page loads it. Once someone is
 * signed in, the line's own chunk (ringing.tsx: the line client, the incoming-call dialog) loads
 * and runs for as long as they stay signed in; a sign-out unmounts it, which closes the line, and
 * clears what the line had told the tab (line-state.ts, small enough to live here). It also gives
 * Home what Home needs from the line (`LineContext`, pages/home/contacts-line.ts): each contact's
 * presence, "Call <name>", and word of changes.
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Person } from '../../protocol/user-line.ts';
import { useAuth } from '../auth.tsx';
import { type ContactsLine, type LineChange, LineContext } from '../pages/home/contacts-line.ts';
import { useLocation } from '../router.tsx';
import { ring } from './calling.ts';
import { line } from './line-state.ts';

export function UserLine({ children }: { children: ComponentChildren }) {
  const { user } = useAuth();
  const { route } = useLocation();
  const [Ringing, setRinging] = useState<ComponentType>();
  useEffect(() => {
    if (user && !Ringing) void import('./ringing.tsx').then((chunk) => setRinging(() => chunk.Ringing));
    // Signed out: nothing of that user stays in the tab.
    if (!user) line.clear();
  }, [user]);
  const contacts = useMemo<ContactsLine>(
    () => ({
      presenceOf: (userId) => line.state.presence[userId] ?? 'offline',
      call: (person: Person) =>
        void ring(person.userId).then((result) => ('path' in result ? route(result.path) : line.notify(result.error))),
      subscribe: (listener: (change: LineChange) => void) => {
        let before = line.state;
        return line.subscribe((state) => {
          if (state.presence !== before.presence) listener('presence');
          if (state.contactsVersion !== before.contactsVersion) listener('contacts');
          if (state.calls !== before.calls) listener('calls');
          before = state;
        });
      },
    }),
    [],
  );
  return (
    <LineContext.Provider value={user ? contacts : undefined}>
      {children}
      {user && Ringing && <Ringing key={user.id} />}
    </LineContext.Provider>
  );
}
