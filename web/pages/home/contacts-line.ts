/**
 * What Home's contacts and calls need from the user line (protocol/user-line.ts): each contact's
 * presence, ringing a contact, and word of changes. The line client provides itself through
 * LineContext; without one, every contact shows Offline and nobody can be called.
 */
import { createContext } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Person, Presence } from '../../../protocol/user-line.ts';

/** A contact's presence changed, the contact list or its requests changed, or a call changed. */
export type LineChange = 'presence' | 'contacts' | 'calls';

export interface ContactsLine {
  presenceOf(userId: string): Presence;
  /** Rings the contact ("Calling <name>…" and what follows are the line's to show). */
  call(person: Person): void;
  /** Calls `listener` after each change; returns the unsubscribe. */
  subscribe(listener: (change: LineChange) => void): () => void;
}

/** The signed-in tab's line, for Home; undefined until the line client provides one. */
export const LineContext = createContext<ContactsLine | undefined>(undefined);

export const PRESENCE_WORDS: Record<Presence, string> = {
  online: 'Online',
  'in-call': 'In a call',
  offline: 'Offline',
};

/**
 * Runs `onChange` after each change of one kind, and nothing on the others: a ring's `call` must
 * not re-render all of Home in the task that opens the incoming-call dialog.
 */
export function useLineChange(line: ContactsLine | undefined, kind: LineChange, onChange: () => void): void {
  useEffect(() => line?.subscribe((change) => change === kind && onChange()), [line]);
}

/** Re-renders the component when a contact's presence changes (it shows `presenceOf`). */
export function usePresenceChanges(line: ContactsLine | undefined): void {
  const [, rerender] = useState(0);
  useLineChange(line, 'presence', () => rerender((n) => n + 1));
}
