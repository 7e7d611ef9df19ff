/**
 * The dev mailbox: where mail goes in local development and tests (DEV_MAILBOX=1, no
 * RESEND_API_KEY). `GET /dev/mail` is a small server-rendered page (newest first, links clickable)
 * and `GET /api/dev/mail` the same list as JSON for tests and tools. Both answer 404 like any
 * unknown path unless the mailbox is on *and* the request is addressed to a loopback host: a
 * deployed Worker (whatever its variables say) or a DNS-rebound name never shows anyone's mail.
 */
import { desc } from 'drizzle-orm';
import { Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { DevMail } from '../../protocol/dev-mail.ts';
import type { Database } from '../db/client.ts';
import { devMail } from '../db/schema.ts';
import { type AppEnv, withDatabase } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { noStore } from '../http/no-store.ts';
import { devMailboxEnabled } from './send.ts';

/** Enough for any development session; older mail stays in the table but off the page. */
const LISTED = 100;

async function listDevMail(db: Database): Promise<DevMail[]> {
  const rows = await db.select().from(devMail).orderBy(desc(devMail.id)).limit(LISTED);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

/** localhost, 127.0.0.0/8 and [::1]: names only this machine answers to. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Hides a route unless the dev mailbox is on and the request came to loopback, answering as `respond` does. */
const onlyDevMailbox =
  (respond: typeof notFound): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!devMailboxEnabled(c.env) || !isLoopbackHost(new URL(c.req.url).hostname)) return respond(c);
    await next();
  };

/** Mounted at /api/dev/mail (inside the API, which already opened the database). */
export const devMailApi = new Hono<AppEnv>()
  .use(onlyDevMailbox(notFound))
  .get('/', async (c) => c.json(await listDevMail(c.var.db)));

/** Mounted at /dev/mail, outside the API. */
export const devMailPage = new Hono<AppEnv>()
  .use(onlyDevMailbox((c) => c.text('Not found', 404)))
  .use(noStore)
  .use(withDatabase)
  .get('/', async (c) => c.html(page(await listDevMail(c.var.db))));

function page(mails: DevMail[]) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev mailbox · EdgeCall</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 0 auto; padding: 1rem; }
article { border-top: 1px solid #ccc; padding: 0.5rem 0; }
h2 { font-size: 1.1rem; margin: 0.25rem 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
a { color: #0645ad; }
</style>
</head>
<body>
<main>
<h1>Dev mailbox</h1>
<p>Mail the app would have sent, newest first. It exists because DEV_MAILBOX=1 and no RESEND_API_KEY is set.</p>
${
  mails.length === 0
    ? html`<p>No mail yet.</p>`
    : mails.map(
        (mail) => html`<article aria-labelledby="mail-${mail.id}">
<h2 id="mail-${mail.id}">${mail.subject}</h2>
<p>To ${mail.to}, <time datetime="${mail.createdAt}">${mail.createdAt}</time></p>
<pre>${linkify(mail.text)}</pre>
</article>`,
      )
}
</main>
</body>
</html>`;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/** Text with its http(s) URLs turned into links; `html` escapes every piece. */
function linkify(text: string) {
  const pieces: unknown[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    pieces.push(text.slice(last, match.index), html`<a href="${match[0]}">${match[0]}</a>`);
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  return pieces;
}
