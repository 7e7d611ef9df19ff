/**
 * A line's presence bookkeeping, in Durable Object storage (synchronous, survives hibernation):
 * where its user is seated (told by the call rooms), the presence it last announced and how many
 * times it changed, who listens to it (watchers: contacts with a line open), and, while its user
 * has a tab open, each contact's name and presence as last heard (that list is also what the line
 * rings from: outgoing.ts). How presence travels between lines is the UserLine's business
 * (user-line.ts); this only remembers.
 */
import type { Person, Presence } from '../../protocol/user-line.ts';
import type { PresenceStamp } from './rpc.ts';

const SEAT = 'seat:';
const WATCHER = 'watcher:';
const SEEN = 'seen:';
const NAME = 'name:';
const ANNOUNCED = 'presence-announced';
const VERSION = 'presence-version';
const WATCHING = 'watching';
/** A room's "left" record is kept this long, to refuse a "seated" notice that arrives after it. */
const SEAT_MEMORY_MS = 10 * 60_000;

interface SeatRecord {
  seated: boolean;
  seq: number;
  at: number;
}

export class PresenceBook {
  constructor(private readonly kv: SyncKvStorage) {}

  /** This user's presence, given how many tabs they have open. */
  presence(openTabs: number): Presence {
    if (this.isSeated()) return 'in-call';
    return openTabs > 0 ? 'online' : 'offline';
  }

  isSeated(): boolean {
    for (const [, seat] of this.kv.list<SeatRecord>({ prefix: SEAT })) if (seat.seated) return true;
    return false;
  }

  /** A room's notice; ignored when an equal or newer one from that room came first. */
  recordSeat(roomId: string, seated: boolean, seq: number, now: number): void {
    const known = this.kv.get<SeatRecord>(SEAT + roomId);
    if (known && known.seq >= seq) return;
    this.kv.put(SEAT + roomId, { seated, seq, at: now });
    for (const [key, seat] of this.kv.list<SeatRecord>({ prefix: SEAT })) {
      if (!seat.seated && now - seat.at > SEAT_MEMORY_MS) this.kv.delete(key);
    }
  }

  /** The stamp to announce if the presence differs from the last one announced. */
  change(presence: Presence): PresenceStamp | undefined {
    if (this.kv.get<Presence>(ANNOUNCED) === presence) return undefined;
    const version = (this.kv.get<number>(VERSION) ?? 0) + 1;
    this.kv.put(ANNOUNCED, presence);
    this.kv.put(VERSION, version);
    return { presence, version };
  }

  /** The presence as last announced (offline before any), with its version. */
  current(): PresenceStamp {
    return { presence: this.kv.get<Presence>(ANNOUNCED) ?? 'offline', version: this.kv.get<number>(VERSION) ?? 0 };
  }

  addWatcher(userId: string): void {
    this.kv.put(WATCHER + userId, true);
  }

  dropWatcher(userId: string): void {
    this.kv.delete(WATCHER + userId);
  }

  watchers(): string[] {
    return [...this.kv.list({ prefix: WATCHER })].map(([key]) => key.slice(WATCHER.length));
  }

  /** Whether this line has asked its contacts for their presence since its first tab opened. */
  isWatching(): boolean {
    return this.kv.get<boolean>(WATCHING) === true;
  }

  /** Watching starts with the first tab and stops with the last, forgetting what it heard. */
  setWatching(watching: boolean): void {
    if (watching) this.kv.put(WATCHING, true);
    else {
      this.kv.delete(WATCHING);
      for (const id of this.seenIds()) this.forget(id);
    }
  }

  /** Records a contact's presence; false when it is not newer than what this line knew. */
  see(contactId: string, stamp: PresenceStamp): boolean {
    const known = this.kv.get<PresenceStamp>(SEEN + contactId);
    if (known && known.version >= stamp.version) return false;
    this.kv.put(SEEN + contactId, stamp);
    return true;
  }

  /** A contact's name, kept beside their presence while watching. */
  name(contact: Person): void {
    this.kv.put(NAME + contact.userId, contact.username);
  }

  /** A contact as this line knows them while watching; undefined when not (or not known to be) one. */
  contact(userId: string): Person | undefined {
    if (!this.isWatching() || this.kv.get(SEEN + userId) === undefined) return undefined;
    const username = this.kv.get<string>(NAME + userId);
    return username === undefined ? undefined : { userId, username };
  }

  forget(contactId: string): void {
    this.kv.delete(SEEN + contactId);
    this.kv.delete(NAME + contactId);
  }

  seenIds(): string[] {
    return [...this.kv.list({ prefix: SEEN })].map(([key]) => key.slice(SEEN.length));
  }

  /** Every contact's presence as last heard. */
  seen(): { userId: string; presence: Presence }[] {
    return [...this.kv.list<PresenceStamp>({ prefix: SEEN })].map(([key, stamp]) => ({
      userId: key.slice(SEEN.length),
      presence: stamp.presence,
    }));
  }
}
