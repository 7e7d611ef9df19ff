/**
 * What the call screen says about the other person and the connection, in one or two short
 * sentences for the remote tile's live region (screen readers announce each change).
 */
import type { CallState } from '../../call/call.ts';

/** The other person's situation in one or two short sentences. */
export function describe(state: CallState): string {
  const { peer, connection, signaling } = state;
  const notes: string[] = [];
  if (signaling === 'lost') notes.push('Lost the connection to the room: the call goes on while it can.');
  if (!peer) return [...notes, 'Waiting for someone to join. Send them the link.'].join(' ');
  const name = peer.username;
  switch (peer.presence) {
    case 'left':
      return [...notes, `${name} left. Waiting for them to come back.`].join(' ');
    case 'lost':
      return [...notes, `Connection to ${name} lost. Waiting for them to come back.`].join(' ');
    case 'here':
      break;
    default:
      return peer.presence satisfies never;
  }
  if (connection === 'new' || connection === 'connecting') notes.push(`Connecting to ${name}…`);
  if (connection === 'failed') notes.push(`Could not connect to ${name}.`);
  if (!peer.media.mic) notes.push(`${name} is muted.`);
  if (peer.media.screen) notes.push(`${name} is sharing their screen.`);
  else if (!peer.media.camera) notes.push(`${name}'s camera is off.`);
  return notes.join(' ');
}
