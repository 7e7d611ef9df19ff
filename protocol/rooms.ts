/**
 * Where a room lives, for both sides: what a room id looks like, the page a room link opens and
 * the room's signaling socket. The Worker makes ids (worker/rooms/ids.ts) and answers these paths;
 * the SPA builds and reads them.
 */

/** 16 base64url characters: 12 random bytes, 96 bits, the whole secret of a room link. */
const ROOM_ID_SOURCE = '[A-Za-z0-9_-]{16}';

export const ROOM_ID_PATTERN = new RegExp(`^${ROOM_ID_SOURCE}$`);

/** Whether a string could be a room id at all: anything else is refused without a database query. */
export const isRoomId = (text: string): boolean => ROOM_ID_PATTERN.test(text);

/** The SPA's call page for a room (lobby, then the call): the path of every room link. */
export const callPath = (roomId: string): string => `/call/${roomId}`;

/** A room link's path anywhere in a text (a pasted link, with or without its origin); group 1 is the id. */
export const CALL_PATH_PATTERN = new RegExp(`/call/(${ROOM_ID_SOURCE})(?:[/?#]|$)`);

/** The room's signaling socket (`GET`, WebSocket upgrade; protocol/signaling.ts), relative to the origin. */
export const roomSocketPath = (roomId: string): string => `/api/rooms/${encodeURIComponent(roomId)}/ws`;
