/**
 * The user line's place in the app shell, kept tiny because every page loads it: once someone is
 * signed in, the line's own chunk (ringing.tsx: the line client, the incoming-call dialog) loads
 * and runs for as long as they stay signed in; a sign-out unmounts it, which closes the line.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../auth.tsx';

export function UserLine() {
  const { user } = useAuth();
  const [Ringing, setRinging] = useState<ComponentType>();
  useEffect(() => {
    if (user && !Ringing) void import('./ringing.tsx').then((chunk) => setRinging(() => chunk.Ringing));
  }, [user]);
  return user && Ringing ? <Ringing key={user.id} /> : null;
}
