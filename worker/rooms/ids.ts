/**
 * Random identifiers. A room id is the whole secret of a room link, so it carries 96 random bits:
 * 12 bytes from the CSPRNG, written as 16 base64url characters (URL-safe and short to read out),
 * the shape protocol/rooms.ts checks (`isRoomId`).
 */
const ROOM_ID_BYTES = 12;

/** `bytes` random bytes as unpadded base64url. */
export function randomId(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...random))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export const newRoomId = (): string => randomId(ROOM_ID_BYTES);
