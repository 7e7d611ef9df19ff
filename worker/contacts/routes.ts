/**
 * The contacts API, under /api/contacts (rules: protocol/contacts.ts). Everything needs a session.
 *
 *   GET    /                            → {contacts, incoming, outgoing}
 *   POST   /            {username}      → 201 {request}   or 200 {contact} when they had asked you (throttled per user)
 *   POST   /requests/:userId/accept     → 200 {contact}
 *   POST   /requests/:userId/decline    → 204             the request they sent you is gone
 *   DELETE /requests/:userId            → 204             the request you sent them is withdrawn
 *   DELETE /:userId                     → 204             no longer contacts, both ways
 *
 * An id that is not a user id is a 404, like one with no request or contact behind it. After each
 * change both people's lines hear of it (worker/user-line/contacts-changed.ts); a removal, before
 * it is answered.
 */
import { type Context, Hono } from 'hono';
import { ContactRequestSchema, isUserId } from '../../protocol/contacts.ts';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { forgetOnLines, tellLines } from '../user-line/contacts-changed.ts';
import { acceptRequest, dropRequest, listContacts, removeContact, requestContact } from './store.ts';

/** Far above what a person sends by hand, low enough that nobody is flooded with requests by a script. */
export const REQUESTS_PER_USER = rule('contact-request-user', 50, 60 * 60);

const REFUSALS = {
  unknown_user: [404, 'Nobody has this username. Check the spelling.'],
  self: [400, 'That is your own username. Enter the username of the person to add.'],
  already_contact: [409, 'You are already contacts.'],
  already_requested: [409, 'You have already asked them; they have not answered yet.'],
} as const;

export const contactRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json(await listContacts(c.var.db, c.var.user.id), 200))
  .post('/', ...jsonBody(ContactRequestSchema), async (c) => {
    await enforce(c.var.db, REQUESTS_PER_USER, c.var.user.id);
    const outcome = await requestContact(c.var.db, c.var.user.id, c.req.valid('json').username);
    if (outcome.kind === 'requested') {
      tellLines(c, c.var.user.id, outcome.request.userId);
      return c.json({ request: outcome.request }, 201);
    }
    if (outcome.kind === 'accepted') {
      tellLines(c, c.var.user.id, outcome.contact.userId);
      return c.json({ contact: outcome.contact }, 200);
    }
    const [status, message] = REFUSALS[outcome.kind];
    throw new ApiError(status, outcome.kind, message, 'username');
  })
  .post('/requests/:userId/accept', async (c) => {
    const from = otherUser(c);
    const contact = from && (await acceptRequest(c.var.db, c.var.user.id, from));
    if (!contact) throw noRequest();
    tellLines(c, c.var.user.id, contact.userId);
    return c.json({ contact }, 200);
  })
  .post('/requests/:userId/decline', async (c) => {
    const from = otherUser(c);
    if (!from || !(await dropRequest(c.var.db, from, c.var.user.id))) throw noRequest();
    tellLines(c, c.var.user.id, from);
    return c.body(null, 204);
  })
  .delete('/requests/:userId', async (c) => {
    const to = otherUser(c);
    if (!to || !(await dropRequest(c.var.db, c.var.user.id, to))) {
      throw new ApiError(404, 'request_not_found', 'You have no request waiting with this person.');
    }
    tellLines(c, c.var.user.id, to);
    return c.body(null, 204);
  })
  .delete('/:userId', async (c) => {
    const contact = otherUser(c);
    if (!contact || !(await removeContact(c.var.db, c.var.user.id, contact))) {
      throw new ApiError(404, 'contact_not_found', 'This person is not one of your contacts.');
    }
    await forgetOnLines(c.env, c.var.user.id, contact);
    tellLines(c, c.var.user.id, contact);
    return c.body(null, 204);
  });

/** The `:userId` of the path, or undefined when it cannot be one (answered like an unknown id, without a query). */
function otherUser(c: Context<AppEnv>): string | undefined {
  const id = c.req.param('userId') ?? '';
  return isUserId(id) ? id : undefined;
}

const noRequest = () => new ApiError(404, 'request_not_found', 'This person has not asked to be your contact.');
