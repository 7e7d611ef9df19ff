/**
 * What the call screen says about the other person and the connection, in one or two short
 * sentences for the remote tile's live region (screen readers announce each change).
 */
import type { CallState } from '../../call/call-state.ts';

/** Said when ICE failed with no TURN relay to fall back on: what it means, and what to try. */
export const relayNeededText = (name: string) =>
  `Can't connect to ${name}: the network between you needs a relay (TURN) server, and this EdgeCall has none set up. ` +
  'Try another network (mobile data, or without a VPN), or ask whoever runs this EdgeCall to add a TURN server.';

/** The other person's situation in one or two short sentences. */
export function callStatus(state: CallState): string {
  const { peer, connection, signaling } = state;
  const notes: string[] = [];
  if (signaling === 'lost') notes.push('Lost the connection to the room, reconnecting: the call goes on meanwhile.');
  if (!peer) return [...notes, 'Waiting for someone to join. Send them the link.'].join(' ');
  const name = peer.username;
  // Their signaling dropped but media still flows: nothing the user needs to hear about.
  const lost = peer.presence === 'lost' && connection !== 'connected';
  if (peer.presence === 'left') return [...notes, `${name} left. Waiting for them to come back.`].join(' ');
  if (lost) return [...notes, `Connection to ${name} lost. Waiting for them to come back.`].join(' ');
  if (state.relayNeeded) notes.push(relayNeededText(name));
  else if (state.reconnecting) notes.push('Reconnecting…');
  else if (connection === 'new' || connection === 'connecting') notes.push(`Connecting to ${name}…`);
  else if (connection === 'failed') notes.push(`Could not connect to ${name}.`);
  if (!peer.media.mic) notes.push(`${name} is muted.`);
  if (peer.media.screen) notes.push(`${name} is sharing their screen.`);
  else if (!peer.media.camera) notes.push(`${name}'s camera is off.`);
  return notes.join(' ');
}
