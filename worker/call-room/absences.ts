/**
 * Seats kept for people whose connection dropped without a bye. They live in Durable Object
 * storage because they must outlive the socket: a user keeps their seat until LIVENESS_WINDOW_MS
 * after their last sign of life, so a reload or a network change never hands it to a third
 * person. Expiry is checked when someone joins; no alarm wakes the room to clean up.
 */
import { isLive } from './connection.ts';

const PREFIX = 'absent:';
export const absenceKey = (userId: string): string => PREFIX + userId;

export class Absences {
  constructor(private readonly kv: SyncKvStorage) {}

  /** Users still holding a seat while away. */
  holders(now: number): string[] {
    const holders: string[] = [];
    for (const [key, lastSignOfLife] of [...this.kv.list<number>({ prefix: PREFIX })]) {
      if (isLive(lastSignOfLife, now)) holders.push(key.slice(PREFIX.length));
      else this.kv.delete(key);
    }
    return holders;
  }

  /** The user left without a bye; their seat waits for them if they were alive recently enough. */
  record(userId: string, lastSignOfLife: number, now: number): void {
    if (isLive(lastSignOfLife, now)) this.kv.put(absenceKey(userId), lastSignOfLife);
  }

  /** The user is back, or said bye. */
  forget(userId: string): void {
    this.kv.delete(absenceKey(userId));
  }
}
