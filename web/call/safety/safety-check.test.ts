import { describe, expect, it } from 'vitest';
import type { CallState } from '../call-state.ts';
import { Emitter } from '../emitter.ts';
import type { CallFingerprints } from './fingerprints.ts';
import { SafetyCheck } from './safety-check.ts';
import { VerifiedDevices } from './verified-devices.ts';

/** A Storage over a Map: what localStorage does, for Node. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const BOB = { peerId: 'p-bob', userId: 'u-bob', username: 'bob', media: { mic: true, camera: true, screen: false } };
const MINE = { algorithm: 'sha-256', value: 'AA:AA' };
const BOBS = { algorithm: 'sha-256', value: 'BB:BB' };
const MALLORYS = { algorithm: 'sha-256', value: 'CC:CC' };

/** A call engine that only says its state, and a safety check on it reading `remote` as theirs. */
function setup(storage = memoryStorage()) {
  const events = new Emitter<{ state: CallState }>();
  const pc = {} as RTCPeerConnection;
  let remote = BOBS;
  const engine = {
    state: { phase: 'idle', connection: 'new', peer: undefined } as unknown as CallState,
    peerConnection: undefined as RTCPeerConnection | undefined,
    on: events.on.bind(events),
  };
  const devices = new VerifiedDevices('u-alice', storage);
  const read = async (): Promise<CallFingerprints> => ({ local: MINE, remote });
  const safety = new SafetyCheck({ engine, devices, read });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    storage,
    devices,
    safety,
    /** The engine connects to Bob (on a new peer connection) presenting `certificate`. */
    async connect(certificate = BOBS) {
      remote = certificate;
      engine.peerConnection = { ...pc };
      engine.state = { ...engine.state, phase: 'in-call', connection: 'connected', peer: { ...BOB, presence: 'here' } };
      events.emit('state', engine.state);
      await settled();
    },
    hangUp() {
      engine.peerConnection = undefined;
      engine.state = { ...engine.state, phase: 'waiting', connection: 'new' };
      events.emit('state', engine.state);
    },
  };
}

describe('SafetyCheck', () => {
  it('knows the certificates once connected; a first call is unverified', async () => {
    const call = setup();
    expect(call.safety.state.fingerprints).toBeUndefined();
    await call.connect();
    expect(call.safety.state).toMatchObject({ fingerprints: { local: MINE, remote: BOBS }, status: 'unverified' });
    call.hangUp();
    expect(call.safety.state.fingerprints).toBeUndefined();
  });

  it('remembers a verified device for the next call, kept per user of this browser', async () => {
    const first = setup();
    await first.connect();
    first.safety.markVerified();
    expect(first.safety.state.status).toBe('verified');
    expect(first.devices.isVerified('u-bob')).toBe(true);
    const next = setup(first.storage);
    await next.connect();
    expect(next.safety.state.status).toBe('verified');
    // Someone else signed in on this browser has verified nobody.
    expect(new VerifiedDevices('u-carol', first.storage).isVerified('u-bob')).toBe(false);
  });

  it('says a verified person’s certificate changed, and drops the mark until verified again', async () => {
    const first = setup();
    await first.connect();
    first.safety.markVerified();
    const attacked = setup(first.storage);
    await attacked.connect(MALLORYS);
    expect(attacked.safety.state.status).toBe('changed');
    expect(attacked.devices.isVerified('u-bob')).toBe(false);
    // Still "changed" on the next connection of this visit (a reload on their side).
    await attacked.connect(MALLORYS);
    expect(attacked.safety.state.status).toBe('changed');
    attacked.safety.markVerified();
    expect(attacked.safety.state.status).toBe('verified');
    expect(attacked.devices.fingerprintOf('u-bob')).toBe('sha-256:cccc');
  });

  it('counts a damaged store as nobody verified, and can verify again over it', async () => {
    const storage = memoryStorage();
    storage.setItem('edgecall.verified.u-alice', '{"u-bob": "not an entry"');
    const call = setup(storage);
    await call.connect();
    expect(call.safety.state.status).toBe('unverified');
    call.safety.markVerified();
    expect(call.devices.isVerified('u-bob')).toBe(true);
  });
});

describe('VerifiedDevices', () => {
  it.each([
    ['not JSON', '{"u-bob": '],
    ['an array', '["u-bob"]'],
    ['an entry of the wrong shape', '{"u-bob": "sha-256:bbbb"}'],
    ['a fingerprint that is not a string', '{"u-bob": {"fingerprint": 1, "verifiedAt": 0}}'],
    ['only an inherited name', '{}'],
  ])('reads %s as nobody verified', (_, stored) => {
    const storage = memoryStorage();
    storage.setItem('edgecall.verified.u-alice', stored);
    const devices = new VerifiedDevices('u-alice', storage);
    expect(devices.isVerified('u-bob')).toBe(false);
    expect(devices.isVerified('__proto__')).toBe(false);
    expect(devices.isVerified('toString')).toBe(false);
  });
});
