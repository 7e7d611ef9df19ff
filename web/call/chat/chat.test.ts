import { describe, expect, it, vi } from 'vitest';
import { Chat, ChatLog, MAX_CHAT_HISTORY, MAX_CHAT_TEXT, MAX_INCOMING_PER_SECOND, parseChatWire } from './chat.ts';

describe('parseChatWire', () => {
  const valid = { id: 'a1', text: 'hello', sentAt: 1_700_000_000_000 };

  it('accepts a well-formed message', () => {
    expect(parseChatWire(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['binary data', new ArrayBuffer(4)],
    ['not JSON', '{oops'],
    ['extra fields', JSON.stringify({ ...valid, from: 'me' })],
    ['empty text', JSON.stringify({ ...valid, text: '' })],
    ['text too long', JSON.stringify({ ...valid, text: 'x'.repeat(MAX_CHAT_TEXT + 1) })],
    ['no id', JSON.stringify({ text: 'hi', sentAt: 1 })],
    ['a fractional time', JSON.stringify({ ...valid, sentAt: 1.5 })],
    ['a time past the last Date', JSON.stringify({ ...valid, sentAt: 8.64e15 + 1 })],
  ])('drops %s', (_name, data) => {
    expect(parseChatWire(data)).toBeUndefined();
  });

  it('takes the longest allowed text', () => {
    expect(parseChatWire(JSON.stringify({ ...valid, text: 'x'.repeat(MAX_CHAT_TEXT) }))?.text).toHaveLength(
      MAX_CHAT_TEXT,
    );
  });
});

describe('ChatLog', () => {
  const peer = (id: string) => ({ id, text: id, sentAt: 1, from: 'peer' as const });

  it('counts peer messages as unread while the panel is closed', () => {
    const log = new ChatLog();
    log.add(peer('1'));
    log.add({ ...peer('2'), from: 'me' });
    log.add(peer('3'));
    expect(log.unread).toBe(2);
    log.setPanelOpen(true);
    expect(log.panelOpen).toBe(true);
    expect(log.unread).toBe(0);
    log.add(peer('4'));
    expect(log.unread).toBe(0);
    log.setPanelOpen(false);
    log.add(peer('5'));
    expect(log.unread).toBe(1);
    expect(log.messages.map((message) => message.id)).toEqual(['1', '2', '3', '4', '5']);
  });

  it(`keeps the latest ${MAX_CHAT_HISTORY} messages and forgets the ones it removed`, () => {
    const log = new ChatLog();
    for (let i = 1; i <= MAX_CHAT_HISTORY; i++) log.add(peer(String(i)));
    expect(log.trimmed).toBe(false);
    log.add(peer('new'));
    log.add({ ...peer('mine'), from: 'me' });
    expect(log.messages).toHaveLength(MAX_CHAT_HISTORY);
    expect(log.trimmed).toBe(true);
    expect(log.messages[0]?.id).toBe('3');
    expect(log.messages.at(-1)?.id).toBe('mine');
    // What was removed is forgotten entirely (nothing grows): it would be taken again.
    expect(log.add(peer('1'))).toBe(true);
    expect(log.add(peer('new'))).toBe(false);
  });

  it('keeps one copy of a message that arrives twice', () => {
    const log = new ChatLog();
    expect(log.add(peer('1'))).toBe(true);
    expect(log.add(peer('1'))).toBe(false);
    expect(log.add({ ...peer('1'), from: 'me' })).toBe(true);
    expect(log.messages).toHaveLength(2);
    expect(log.unread).toBe(1);
  });
});

/** Just enough of an RTCDataChannel: an EventTarget with a settable state and a send spy. */
class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  send = vi.fn();
  close = vi.fn(() => {
    this.readyState = 'closed';
  });
  set(state: RTCDataChannelState) {
    this.readyState = state;
    this.dispatchEvent(new Event(state === 'open' ? 'open' : 'close'));
  }
  receive(data: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('Chat', () => {
  const setup = () => {
    let n = 0;
    const chat = new Chat({ now: () => 1_000, newId: () => `m${++n}` });
    const channel = new FakeChannel();
    const changes = vi.fn();
    chat.events.on('change', changes);
    const detach = chat.bind(channel);
    return { chat, channel, changes, detach };
  };

  it('sends only once the channel is open, trimmed, and records what it sent', () => {
    const { chat, channel } = setup();
    expect(chat.state).toBe('connecting');
    expect(chat.send('hi')).toBeUndefined();
    channel.set('open');
    expect(chat.state).toBe('open');
    expect(chat.send('  hi  ')).toEqual({ id: 'm2', text: 'hi', sentAt: 1_000, from: 'me' });
    expect(channel.send).toHaveBeenCalledWith(JSON.stringify({ id: 'm2', text: 'hi', sentAt: 1_000 }));
    expect(chat.messages).toHaveLength(1);
  });

  it('refuses blank and too long text', () => {
    const { chat, channel } = setup();
    channel.set('open');
    expect(chat.send('   ')).toBeUndefined();
    expect(chat.send('x'.repeat(MAX_CHAT_TEXT + 1))).toBeUndefined();
    expect(channel.send).not.toHaveBeenCalled();
  });

  it('adds valid messages from the peer, drops the rest, and says when it changed', () => {
    const { chat, channel, changes } = setup();
    channel.set('open');
    changes.mockClear();
    channel.receive(JSON.stringify({ id: 'p1', text: 'hey', sentAt: 5 }));
    channel.receive('{"id":"p2","text":"<script>","sentAt":5,"html":true}');
    channel.receive(JSON.stringify({ id: 'p1', text: 'hey', sentAt: 5 }));
    expect(chat.messages).toEqual([{ id: 'p1', text: 'hey', sentAt: 5, from: 'peer' }]);
    expect(chat.unread).toBe(1);
    expect(changes).toHaveBeenCalledTimes(1);
  });

  it(`drops frames from the peer beyond ${MAX_INCOMING_PER_SECOND} a second, and says so once`, () => {
    let now = 1_000;
    const chat = new Chat({ now: () => now, newId: () => 'm' });
    const channel = new FakeChannel();
    chat.bind(channel);
    channel.set('open');
    const changes = vi.fn();
    chat.events.on('change', changes);
    const flood = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) channel.receive(JSON.stringify({ id: `f${i}`, text: 'x', sentAt: 1 }));
    };

    flood(0, 1_000);
    expect(chat.messages).toHaveLength(MAX_INCOMING_PER_SECOND);
    expect(chat.dropped).toBe(1_000 - MAX_INCOMING_PER_SECOND);
    // One render per message taken plus one for the first drop, not one per frame.
    expect(changes).toHaveBeenCalledTimes(MAX_INCOMING_PER_SECOND + 1);

    now += 500;
    flood(1_000, 1_000);
    expect(chat.messages).toHaveLength(MAX_INCOMING_PER_SECOND * 1.5);
    // Junk counts too: it is dropped before parsing, which is what a flood would cost.
    now += 10_000;
    for (let i = 0; i < 2 * MAX_INCOMING_PER_SECOND; i++) channel.receive('{junk');
    flood(2_000, 1);
    expect(chat.messages).toHaveLength(MAX_INCOMING_PER_SECOND * 1.5);
    now -= 60_000; // a clock set back refills nothing
    flood(3_000, 1);
    expect(chat.messages).toHaveLength(MAX_INCOMING_PER_SECOND * 1.5);
    now += 60_000 + 1_000;
    flood(4_000, 1);
    expect(chat.messages.at(-1)?.id).toBe('f4000');
  });

  it('keeps the history across peer connections and stops listening to a detached channel', () => {
    const { chat, channel, detach } = setup();
    channel.receive(JSON.stringify({ id: 'p1', text: 'before', sentAt: 5 }));
    detach();
    expect(channel.close).toHaveBeenCalled();
    expect(chat.state).toBe('closed');
    channel.receive(JSON.stringify({ id: 'p2', text: 'ignored', sentAt: 5 }));
    const next = new FakeChannel();
    chat.bind(next);
    next.receive(JSON.stringify({ id: 'p3', text: 'after', sentAt: 6 }));
    expect(chat.messages.map((message) => message.text)).toEqual(['before', 'after']);
  });

  it('creates the pre-negotiated channel on attach', () => {
    const chat = new Chat();
    const channel = new FakeChannel();
    const pc = { createDataChannel: vi.fn(() => channel as unknown as RTCDataChannel) };
    chat.attach(pc);
    expect(pc.createDataChannel).toHaveBeenCalledWith('chat', { negotiated: true, id: 0 });
  });

  describe('follow', () => {
    /** A peer connection's signaling side: its transceivers and signaling state changes. */
    class FakePeerConnection extends EventTarget {
      signalingState: RTCSignalingState = 'stable';
      readonly channel = new FakeChannel();
      createDataChannel = vi.fn(() => this.channel as unknown as RTCDataChannel);
      constructor(private readonly transceivers: number) {
        super();
      }
      getTransceivers = () => Array.from({ length: this.transceivers }) as RTCRtpTransceiver[];
      set(state: RTCSignalingState) {
        this.signalingState = state;
        this.dispatchEvent(new Event('signalingstatechange'));
      }
    }

    it('attaches at once on the side about to offer (it has its media plan)', () => {
      const chat = new Chat();
      const pc = new FakePeerConnection(3);
      chat.follow(pc);
      expect(pc.createDataChannel).toHaveBeenCalledWith('chat', { negotiated: true, id: 0 });
    });

    it('attaches on the answering side when the first offer is applied, once', () => {
      const chat = new Chat();
      const pc = new FakePeerConnection(0);
      chat.follow(pc);
      pc.set('have-local-offer');
      expect(pc.createDataChannel).not.toHaveBeenCalled();
      pc.set('have-remote-offer');
      pc.set('stable');
      pc.set('have-remote-offer');
      expect(pc.createDataChannel).toHaveBeenCalledTimes(1);
    });

    it('stops following: no channel for an offer that comes later, and an attached one is closed', () => {
      const chat = new Chat();
      const waiting = new FakePeerConnection(0);
      chat.follow(waiting)();
      waiting.set('have-remote-offer');
      expect(waiting.createDataChannel).not.toHaveBeenCalled();
      const offering = new FakePeerConnection(3);
      chat.follow(offering)();
      expect(offering.channel.close).toHaveBeenCalled();
    });
  });
});
