import { describe, expect, it } from 'vitest';
import type { CallView } from '../../protocol/user-line.ts';
import { callInRoom, EMPTY_LINE, type LineState, LineStore, reduce, ringingIncoming } from './line-state.ts';
import { ringEndedText } from './outcome-text.ts';

const bob = { userId: 'u2', username: 'bob' };
const ringing: CallView = { id: 'c1', roomId: 'r1', direction: 'incoming', other: bob, outcome: 'ringing' };
const withCall = (state: LineState, call: CallView) => reduce(state, { type: 'call', call });

describe('line state', () => {
  it('keeps every contact’s presence, changed entries replacing old ones', () => {
    let state = reduce(EMPTY_LINE, {
      type: 'presence',
      contacts: [
        { userId: 'u2', presence: 'online' },
        { userId: 'u3', presence: 'offline' },
      ],
    });
    state = reduce(state, { type: 'presence', contacts: [{ userId: 'u3', presence: 'in-call' }] });
    expect(state.presence).toEqual({ u2: 'online', u3: 'in-call' });
  });

  it('counts contacts-changed so lists refetch', () => {
    expect(reduce(reduce(EMPTY_LINE, { type: 'contacts-changed' }), { type: 'contacts-changed' }).contactsVersion).toBe(
      2,
    );
  });

  it('keeps the latest view of each call, found by room, and the one ringing in', () => {
    const state = withCall(EMPTY_LINE, ringing);
    expect(ringingIncoming(state)).toEqual(ringing);
    expect(callInRoom(state, 'r1')).toEqual(ringing);
    const answered = withCall(state, { ...ringing, outcome: 'answered', answeredHere: true });
    expect(ringingIncoming(answered)).toBeUndefined();
    expect(callInRoom(answered, 'r1')?.outcome).toBe('answered');
    expect(answered.notices).toEqual([]);
  });

  it('never takes a settled call back to ringing (the HTTP answer and the line may cross)', () => {
    const declined = withCall(EMPTY_LINE, { ...ringing, outcome: 'declined' });
    expect(withCall(declined, ringing).calls.c1?.outcome).toBe('declined');
  });

  it.each([
    ['answered elsewhere', { outcome: 'answered', answeredHere: false }, 'Answered on another device'],
    ['cancelled', { outcome: 'cancelled' }, 'Missed call from bob'],
    ['not answered in time', { outcome: 'no_answer' }, 'Missed call from bob'],
  ] as const)('tells a ringing callee quietly when the call was %s', (_, change, text) => {
    const state = withCall(withCall(EMPTY_LINE, ringing), { ...ringing, ...change });
    expect(state.notices).toEqual([{ key: 'c1', text }]);
  });

  it('tells a busy callee who tried to call, without ringing', () => {
    const state = withCall(EMPTY_LINE, { ...ringing, outcome: 'busy' });
    expect(ringingIncoming(state)).toBeUndefined();
    expect(state.notices).toEqual([{ key: 'c1', text: 'bob tried to call' }]);
  });

  it('gives the caller no notice: the calling screen says how it ended', () => {
    const outgoing: CallView = { ...ringing, direction: 'outgoing' };
    const state = withCall(withCall(EMPTY_LINE, outgoing), { ...outgoing, outcome: 'declined' });
    expect(state.notices).toEqual([]);
  });

  it('the store notifies subscribers, dismisses notices and forgets everything at sign-out', () => {
    const store = new LineStore();
    const seen: LineState[] = [];
    store.subscribe((state) => seen.push(state));
    store.apply({ type: 'call', call: { ...ringing, outcome: 'busy' } });
    expect(seen.at(-1)?.notices).toHaveLength(1);
    store.dismiss('c1');
    expect(store.state.notices).toEqual([]);
    store.notify('You can only call your contacts.');
    store.notify('You can only call your contacts.');
    expect(store.state.notices).toEqual([
      { key: 'You can only call your contacts.', text: 'You can only call your contacts.' },
    ]);
    store.clear();
    expect(store.state).toEqual(EMPTY_LINE);
    expect(store.send({ type: 'cancel', callId: 'c1' })).toBe(false);
  });
});

describe('a ring on the line', () => {
  const ring = { type: 'ring', contactId: 'u2', requestId: 'ring-1' } as const;

  it('resolves with the answer carrying its request id, not with other messages', async () => {
    const store = new LineStore();
    const sent: unknown[] = [];
    store.sender = (message) => sent.push(message) > 0;
    const answer = store.ring(ring, 60_000);
    expect(sent).toEqual([ring]);
    const outgoing: CallView = { ...ringing, direction: 'outgoing' };
    store.apply({ type: 'call', call: outgoing });
    store.apply({ type: 'error', code: 'not_a_contact', message: 'no', requestId: 'ring-0' });
    store.apply({ type: 'call', call: outgoing, requestId: 'ring-1' });
    expect(await answer).toEqual({ type: 'call', call: outgoing, requestId: 'ring-1' });
    expect(store.state.calls.c1).toEqual(outgoing);
  });

  it('is false at once when the line is not open, undefined when it does not answer in time', async () => {
    const store = new LineStore();
    expect(await store.ring(ring, 60_000)).toBe(false);
    store.sender = () => true;
    expect(await store.ring(ring, 1)).toBeUndefined();
  });
});

describe('a message the line must hear', () => {
  it('goes at once when the line is open, else once when it is back, and not again', () => {
    const store = new LineStore();
    const sent: unknown[] = [];
    let open = false;
    store.sender = (message) => open && sent.push(message) > 0;
    const accept = { type: 'accept', callId: crypto.randomUUID() } as const;
    store.sendWhenOpen(accept);
    expect(sent).toEqual([]);
    open = true;
    store.apply({ type: 'presence', contacts: [] });
    store.apply({ type: 'contacts-changed' });
    expect(sent).toEqual([accept]);
    store.sendWhenOpen(accept);
    expect(sent).toEqual([accept, accept]);
  });

  it('gives up when told to', () => {
    const store = new LineStore();
    const sent: unknown[] = [];
    let open = false;
    store.sender = (message) => open && sent.push(message) > 0;
    const giveUp = store.sendWhenOpen({ type: 'accept', callId: crypto.randomUUID() });
    giveUp();
    open = true;
    store.apply({ type: 'presence', contacts: [] });
    expect(sent).toEqual([]);
  });
});

describe('ring outcomes as each side reads them', () => {
  const outgoing: CallView = { ...ringing, direction: 'outgoing' };
  it.each([
    ['declined', 'bob declined'],
    ['no_answer', 'No answer'],
    ['busy', 'bob is busy'],
    ['offline', 'bob is offline'],
    ['cancelled', 'Call cancelled'],
    ['failed', 'The call could not be made. Try again.'],
    ['ringing', undefined],
    ['answered', undefined],
  ] as const)('caller, %s: %s', (outcome, text) => {
    expect(ringEndedText({ ...outgoing, outcome })).toBe(text);
  });

  it.each([
    [{ outcome: 'answered', answeredHere: true }, undefined],
    [{ outcome: 'answered', answeredHere: false }, 'Answered on another device'],
    [{ outcome: 'ringing' }, undefined],
    [{ outcome: 'declined' }, 'Call declined'],
    [{ outcome: 'cancelled' }, 'Missed call from bob'],
    [{ outcome: 'no_answer' }, 'Missed call from bob'],
    [{ outcome: 'failed' }, 'The call could not be made'],
  ] as const)('callee, %o: %s', (change, text) => {
    expect(ringEndedText({ ...ringing, ...change })).toBe(text);
  });
});
