/**
 * The people this browser's user has verified: for each of them (by user id), the fingerprint of
 * their device's certificate (certificate-store.ts) when the safety codes matched. Their own
 * certificate renewing does not undo it; theirs changing does (safety-check.ts).
 *
 * Kept in localStorage, apart for each signed-in user of this browser (one person verified
 * someone, not whoever signs in next), and read afresh on every call, so other tabs' changes show.
 * Readable from anywhere, e.g. a contact list: `new VerifiedDevices(me.id).isVerified(them.id)`.
 * What is read is checked: a damaged entry counts as nobody verified (checked by hand, not with
 * valibot's record and object schemas, which would weigh more than this on the call page).
 */

const KEY_PREFIX = 'edgecall.verified.';

interface Device {
  /** normalizeFingerprint (fingerprints.ts) of their certificate. */
  fingerprint: string;
  /** When, ms since the epoch. */
  verifiedAt: number;
}
type Verified = Record<string, Device>;

export class VerifiedDevices {
  readonly #key: string;

  constructor(
    ownUserId: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
  ) {
    this.#key = `${KEY_PREFIX}${ownUserId}`;
  }

  /** Whether this person's device is verified (as of the last call with them). */
  isVerified(userId: string): boolean {
    return this.fingerprintOf(userId) !== undefined;
  }

  /** The fingerprint their device had when verified. */
  fingerprintOf(userId: string): string | undefined {
    const verified = this.#read();
    const device: unknown = Object.hasOwn(verified, userId) ? verified[userId] : undefined;
    const fingerprint = (device as Partial<Device> | null)?.fingerprint;
    return typeof fingerprint === 'string' ? fingerprint : undefined;
  }

  markVerified(userId: string, fingerprint: string, now = Date.now()): void {
    this.#write({ ...this.#read(), [userId]: { fingerprint, verifiedAt: now } });
  }

  /** Their device is verified no more (its certificate changed). */
  forget(userId: string): void {
    const { [userId]: _, ...rest } = this.#read();
    this.#write(rest);
  }

  /** The stored object; its entries are checked where read (fingerprintOf). */
  #read(): Verified {
    try {
      const verified: unknown = JSON.parse(this.storage.getItem(this.#key) ?? '{}');
      return typeof verified === 'object' && verified !== null && !Array.isArray(verified)
        ? (verified as Verified)
        : {};
    } catch {
      return {};
    }
  }

  #write(verified: Verified): void {
    try {
      this.storage.setItem(this.#key, JSON.stringify(verified));
    } catch {
      // Storage full or refused (private browsing): the mark lasts this call only.
    }
  }
}
