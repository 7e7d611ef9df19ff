/**
 * What people paste into "Room link or code": a full link (`https://…/call/AbC…`), a link without
 * its scheme, or the bare 16-character code. The room id format is the rooms API's (base64url).
 */
import { CALL_PATH_PATTERN, isRoomId } from '../../../protocol/rooms.ts';

/** The room id in the input, or undefined when there is none. */
export function roomIdFrom(input: string): string | undefined {
  const text = input.trim();
  if (isRoomId(text)) return text;
  const match = CALL_PATH_PATTERN.exec(text);
  return match?.[1];
}
