/**
 * The call history's query, for both sides: `GET /api/calls?before=<cursor>&limit=<n>`, newest
 * first. `before` is the `next` of the previous page, opaque to the SPA: it names the last call
 * shown, so a page never repeats or skips a call, even when calls start meanwhile.
 */
import * as v from 'valibot';

/** Calls per page when `limit` is not given. */
export const HISTORY_PAGE_DEFAULT = 20;
export const HISTORY_PAGE_MAX = 50;

/** The creation time in microseconds since 1970 and the call's id: `1764755826123456_<uuid>`. */
const CURSOR_PATTERN = /^\d{1,17}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const HistoryQuerySchema = v.strictObject(
  {
    before: v.optional(v.pipe(v.string(), v.regex(CURSOR_PATTERN, 'Use the `next` of the previous page'))),
    limit: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d{1,3}$/, `Ask for 1 to ${HISTORY_PAGE_MAX} calls`),
        v.transform(Number),
        v.minValue(1, `Ask for 1 to ${HISTORY_PAGE_MAX} calls`),
        v.maxValue(HISTORY_PAGE_MAX, `Ask for 1 to ${HISTORY_PAGE_MAX} calls`),
      ),
    ),
  },
  'This list takes `before` and `limit` only',
);
