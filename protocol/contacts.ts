/**
 * Contacts, for both sides: the body of a contact request, and what a user id in a contacts path
 * looks like. The Worker validates with these (worker/contacts/); the SPA runs the same check
 * before it sends a request.
 *
 * Contacts are mutual: a request from A to B waits until B accepts it (then each is the other's
 * contact) or declines it, or A withdraws it (then it is gone). A request to someone who already
 * asked you accepts theirs. Only mutual contacts see each other's presence and may ring each other.
 */
import * as v from 'valibot';
import { Username } from './accounts.ts';

export const ContactRequestSchema = v.strictObject(
  { username: Username },
  'Send the contact request as a JSON object with a username',
);
export type ContactRequestInput = v.InferInput<typeof ContactRequestSchema>;

const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a path segment could be a user id at all: anything else is refused without a query. */
export const isUserId = (text: string): boolean => USER_ID_PATTERN.test(text);
