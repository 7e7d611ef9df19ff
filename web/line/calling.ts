/**
 * "Call <name>": rings a contact (`POST /api/calls`, protocol/user-line.ts) and opens the call's
 * page, which shows "Calling <name>…" while it rings, or at once how it ended (offline, busy).
 */
import { callPath } from '../../protocol/rooms.ts';
import { api, call as request } from '../api.ts';
import { line } from './line-state.ts';

/** Rings `contactId`; resolves with the path to open, or the reason it could not ring. */
export async function ring(contactId: string): Promise<{ path: string } | { error: string }> {
  const result = await request(api.calls.$post({ json: { contactId } }));
  if (!result.ok) return { error: result.error.message };
  const { call } = result.data;
  // The page reads the call from the line's store: it may know before the line pushes it.
  line.apply({ type: 'call', call });
  return { path: callPath(call.roomId) };
}
