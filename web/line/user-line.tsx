/**
 * The user line's place in the app shell, kept tiny because every page loads it: once someone is
 * signed in, the line's own chunk (ringing.tsx: the line client, the incoming-call dialog) loads
 * and runs for as long as they stay signed in; a sign-out unmounts it, which closes the line, and
 * clears what the line had told the tab (line-state.ts, small enough to live here).
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../auth.tsx';
import { line } from './line-state.ts';

export function UserLine() {
  const { user } = useAuth();
  const [Ringing, setRinging] = useState<ComponentType>();
  useEffect(() => {
    if (user && !Ringing) void import('./ringing.tsx').then((chunk) => setRinging(() => chunk.Ringing));
    // Signed out: nothing of that user stays in the tab.
    if (!user) line.clear();
  }, [user]);
  return user && Ringing ? <Ringing key={user.id} /> : null;
}
