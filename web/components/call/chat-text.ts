/**
 * The chat's words: the "Chat" button's name and badge, why sending is off, the length check and
 * message times. Kept apart from the components so that they are unit-tested in Node.
 */
import { type ChatState, MAX_CHAT_HISTORY, MAX_CHAT_TEXT, MAX_INCOMING_PER_SECOND } from '../../call/chat/chat.ts';

/** The "Chat" button's accessible name: the unread count is part of it ("Chat, 2 unread"). */
export function chatButtonName(unread: number): string {
  return unread > 0 ? `Chat, ${unread} unread` : 'Chat';
}

/** The badge on the button: the count, capped so that it stays a small circle. */
export function badgeText(unread: number): string {
  return unread > 9 ? '9+' : String(unread);
}

/** What a screen reader hears when messages arrive while the panel is closed. */
export function unreadStatus(unread: number): string {
  if (unread === 0) return '';
  return unread === 1 ? '1 unread chat message' : `${unread} unread chat messages`;
}

/** Why the message field is off, or undefined while messages can be sent. */
export function chatUnavailable(state: ChatState, peerName: string | undefined): string | undefined {
  if (state === 'open') return undefined;
  if (peerName === undefined) return 'You can chat once someone joins the call.';
  return `You can chat once you are connected to ${peerName}.`;
}

/** Said once the other browser has sent faster than the chat accepts (a bug, or a hostile peer). */
export function droppedNote(peerName: string): string {
  return `Some messages from ${peerName} were not shown: they came faster than ${MAX_INCOMING_PER_SECOND} a second.`;
}

/** Above the history once its oldest messages have been removed. */
export const TRIMMED_NOTE = `Older messages were removed: the chat keeps the latest ${MAX_CHAT_HISTORY}.`;

/** What to do about text over the limit (counted the way the wire counts it), or undefined. */
export function lengthProblem(text: string): string | undefined {
  const length = text.trim().length;
  if (length <= MAX_CHAT_TEXT) return undefined;
  return `Too long to send: ${length} characters, at most ${MAX_CHAT_TEXT}. Remove ${length - MAX_CHAT_TEXT}.`;
}

/** When a message was sent, as hours and minutes in the reader's locale ("14:05", "2:05 PM"). */
export function messageTime(sentAt: number, locale?: string): string {
  return new Date(sentAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
