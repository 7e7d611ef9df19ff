/**
 * "Call <name>": rings a contact on the tab's open line (`ring`, protocol/user-line.ts), or with
 * `POST /api/calls` when the line is not open, and opens the call's page, which shows "Calling
 * <name>…" while it rings, or at once how it ended (offline, busy).
 */
import { callPath } from '../../protocol/rooms.ts';
import type { CallView } from '../../protocol/user-line.ts';
import { api, call as request } from '../api.ts';
import { line } from './line-state.ts';

/** A line that took a ring answers in milliseconds; past this, something is wrong. */
const LINE_ANSWER_MS = 15_000;
let rings = 0;

/** Rings `contactId`; resolves with the path to open, or the reason it could not ring. */
export async function ring(contactId: string): Promise<{ path: string } | { error: string }> {
  const answer = await line.ring({ type: 'ring', contactId, requestId: `ring-${++rings}` }, LINE_ANSWER_MS);
  if (answer === false) return ringOverHttp(contactId);
  if (!answer) return { error: 'EdgeCall did not answer. Try again.' };
  return answer.type === 'call' ? opened(answer.call) : { error: answer.message };
}

async function ringOverHttp(contactId: string): Promise<{ path: string } | { error: string }> {
  const result = await request(api.calls.$post({ json: { contactId } }));
  if (!result.ok) return { error: result.error.message };
  return opened(result.data.call);
}

function opened(call: CallView): { path: string } {
  // The page reads the call from the line's store: it may know before the line pushes it.
  line.apply({ type: 'call', call });
  return { path: callPath(call.roomId) };
}
