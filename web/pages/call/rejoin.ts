/**
 * Remembers, for this tab only (sessionStorage), that it is in a call and with which devices on,
 * so that reloading the page mid-call goes straight back into the call, skipping the lobby: the
 * room keeps the seat for a reconnecting user, and the other person sees the call resume.
 */
const KEY = 'edgecall.call';

export interface Rejoin {
  roomId: string;
  mic: boolean;
  camera: boolean;
}

export function rememberCall(rejoin: Rejoin): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(rejoin));
  } catch {
    // Storage blocked: a reload will show the lobby, which is fine.
  }
}

export function forgetCall(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {}
}

/** The remembered call, if it is this room's. */
export function rejoinFor(roomId: string): Rejoin | undefined {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Rejoin> | null;
    if (saved?.roomId !== roomId) return undefined;
    return { roomId, mic: saved.mic !== false, camera: saved.camera !== false };
  } catch {
    return undefined;
  }
}
