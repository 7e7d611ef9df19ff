/**
 * The people this browser's user has verified: for each of them (by user id), the fingerprint of
 * their device's certificate (certificate-store.ts) when the safety codes matched. Their own
 * certificate renewing does not undo it; theirs changing does (safety-check.ts).
 *
 * Kept in localStorage, apart for each signed-in user of this browser (one person verified
 * someone, not whoever signs in next), and read afresh on every call, so other tabs' changes show.
 * Readable from anywhere, e.g. a contact list: `new VerifiedDevices(me.id).isVerified(them.id)`.
 * What is read is checked: a damaged entry counts as nobody verified.
 */
import * as v from 'valibot';

const KEY_PREFIX = 'edgecall.verified.';

const VerifiedSchema = v.record(
  v.string(),
  v.object({
    /** normalizeFingerprint (fingerprints.ts) of their certificate. */
    fingerprint: v.string(),
    /** When, ms since the epoch. */
    verifiedAt: v.number(),
  }),
);
type Verified = v.InferOutput<typeof VerifiedSchema>;

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
    return Object.hasOwn(verified, userId) ? verified[userId]?.fingerprint : undefined;
  }

  markVerified(userId: string, fingerprint: string, now = Date.now()): void {
    this.#write({ ...this.#read(), [userId]: { fingerprint, verifiedAt: now } });
  }

  /** Their device is verified no more (its certificate changed). */
  forget(userId: string): void {
    const { [userId]: _, ...rest } = this.#read();
    this.#write(rest);
  }

  #read(): Verified {
    try {
      const result = v.safeParse(VerifiedSchema, JSON.parse(this.storage.getItem(this.#key) ?? '{}'));
      return result.success ? result.output : {};
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
