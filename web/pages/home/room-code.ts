/**
 * What people paste into "Room link or code": a full link (`https://…/call/AbC…`), a link without
 * its scheme, or the bare 16-character code. The room id format is the rooms API's (base64url).
 */
const ROOM_ID = /^[A-Za-z0-9_-]{16}$/;

/** The room id in the input, or undefined when there is none. */
export function roomIdFrom(input: string): string | undefined {
  const text = input.trim();
  if (ROOM_ID.test(text)) return text;
  const match = /\/call\/([A-Za-z0-9_-]{16})(?:[/?#]|$)/.exec(text);
  return match?.[1];
}
