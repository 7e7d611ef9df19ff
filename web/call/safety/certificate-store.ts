/**
 * This browser's own DTLS certificate, kept in IndexedDB so that every call from this browser
 * presents the same one: the same two browsers then get the same safety code (safety-code.ts) in
 * every call, and a contact verified once stays verified. Without it each RTCPeerConnection would
 * make a certificate of its own and the code would change with every call.
 *
 * The certificate (ECDSA P-256, as browsers make by default) is asked to last a year
 * (CERTIFICATE_LIFETIME_MS; a browser may cap it) and is renewed RENEW_BEFORE_MS before it
 * expires, so a call never starts with one about to lapse. A renewal changes this browser's
 * fingerprint: people who verified it see that the code changed and verify again.
 *
 * Nothing here may stop a call: a store that cannot be opened, read or written (private browsing,
 * a full disk, a value that is not a certificate) gives a fresh certificate (stored when possible),
 * and a browser that cannot make one at all gives undefined: the peer connection then makes its own.
 * IndexedDB, since RTCCertificate is storable there (structured clone) in Chromium and Firefox;
 * localStorage holds only strings.
 */

export const CERTIFICATE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
/** A store that has not answered by then (a stuck IndexedDB) is given up for this page: calls go on without it. */
export const LOAD_DEADLINE_MS = 5_000;
const DATABASE = 'edgecall';
const STORE = 'certificates';
const KEY = 'dtls';

export interface CertificateStoreOptions {
  /** Seams for tests: the clock, the database's name, and how a certificate is made. */
  now?: () => number;
  database?: string;
  generate?: () => Promise<RTCCertificate>;
}

const generateCertificate = () =>
  RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
    expires: CERTIFICATE_LIFETIME_MS,
  } as AlgorithmIdentifier);

/** The stored certificate while it is far enough from expiry; else a new one, stored in its place. */
export async function loadCertificate(options: CertificateStoreOptions = {}): Promise<RTCCertificate | undefined> {
  const { now = Date.now, database = DATABASE, generate = generateCertificate } = options;
  const usable = (value: unknown): value is RTCCertificate =>
    value instanceof RTCCertificate && value.expires - now() > RENEW_BEFORE_MS;
  const db = await openStore(database).catch(() => undefined);
  try {
    const stored = db && (await request(db, 'readonly', (store) => store.get(KEY)).catch(() => undefined));
    if (usable(stored)) return stored;
    const fresh = await generate();
    if (!db) return fresh;
    await request(db, 'readwrite', (store) => store.put(fresh, KEY)).catch(() => undefined);
    // Another tab may have stored one of its own meanwhile: every tab uses the one that stays.
    const kept = await request(db, 'readonly', (store) => store.get(KEY)).catch(() => undefined);
    return usable(kept) ? kept : fresh;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

let forThisPage: Promise<RTCCertificate | undefined> | undefined;

/**
 * loadCertificate, once per page: every call visit in this page uses the same certificate. Resolves
 * to undefined after LOAD_DEADLINE_MS at the latest, since the lobby's link and the join wait for it.
 */
export function pageCertificate(
  load: () => Promise<RTCCertificate | undefined> = loadCertificate,
  deadlineMs = LOAD_DEADLINE_MS,
): Promise<RTCCertificate | undefined> {
  forThisPage ??= Promise.race([
    load(),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), deadlineMs)),
  ]);
  return forThisPage;
}

/**
 * Opens the database; one that cannot be opened at our version or lacks our store (made by
 * something else, or damaged) is deleted and made again: it holds nothing but the certificate.
 */
async function openStore(name: string): Promise<IDBDatabase> {
  const db = await open(name).catch(() => undefined);
  if (db?.objectStoreNames.contains(STORE)) return db;
  db?.close();
  await settle(indexedDB.deleteDatabase(name));
  return open(name);
}

function open(name: string): Promise<IDBDatabase> {
  const opening = indexedDB.open(name, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  return settle(opening);
}

function request<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return settle(run(db.transaction(STORE, mode).objectStore(STORE)));
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
