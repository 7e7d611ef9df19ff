/**
 * Home's missed calls (a count until seen) and recent calls: one row per call, newest first, with
 * the other person, the direction, how it ended, when, how long an answered call lasted, and Call
 * back for contacts. Paged: Show more asks for the calls before the last one shown.
 */
import type { InferResponseType } from 'hono/client';
import { useEffect, useState } from 'preact/hooks';
import { MISSED_OUTCOMES } from '../../../protocol/calls.ts';
import { api, call } from '../../api.ts';
import { type ContactsLine, useLineChange } from './contacts-line.ts';

type HistoryPage = InferResponseType<typeof api.calls.$get, 200>;
type Entry = HistoryPage['calls'][number];

const OUTGOING_WORDS: Record<Entry['outcome'], string> = {
  ringing: 'Ringing',
  answered: 'Answered',
  declined: 'Declined',
  cancelled: 'Cancelled',
  no_answer: 'No answer',
  busy: 'Busy',
  offline: 'Offline',
};

/** How the call ended, as this side says it: every unanswered incoming call is a missed one. */
export const outcomeWord = ({ direction, outcome }: Pick<Entry, 'direction' | 'outcome'>): string =>
  direction === 'incoming' && MISSED_OUTCOMES.includes(outcome) ? 'Missed' : OUTGOING_WORDS[outcome];

/** `m:ss`, or `h:mm:ss` past an hour. */
export function formatDuration(seconds: number): string {
  const parts = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const [hours, ...rest] = parts;
  const [minutes, secs] = rest.map((n) => String(n).padStart(2, '0'));
  return hours ? `${hours}:${minutes}:${secs}` : `${Number(minutes)}:${secs}`;
}

interface Props {
  line: ContactsLine | undefined;
  isContact: (userId: string) => boolean;
}

export function HomeHistory({ line, isContact }: Props) {
  const [calls, setCalls] = useState<Entry[]>();
  const [next, setNext] = useState<string | null>(null);
  const [missed, setMissed] = useState(0);
  const [error, setError] = useState<string>();

  const load = async (before?: string) => {
    const [page, count] = await Promise.all([
      call(api.calls.$get({ query: before ? { before } : {} })),
      call(api.calls.missed.$get()),
    ]);
    if (!page.ok) return setError(page.error.message);
    setCalls((shown) => (before ? [...(shown ?? []), ...page.data.calls] : page.data.calls));
    setNext(page.data.next);
    if (count.ok) setMissed(count.data.count);
  };
  const seen = async () => {
    const result = await call(api.calls.missed.seen.$post());
    if (result.ok) setMissed(0);
    else setError(result.error.message);
  };
  useEffect(() => void load(), []);
  useLineChange(line, 'calls', () => void load());

  return (
    <>
      {missed > 0 && (
        <section aria-labelledby="missed-heading">
          <h3 id="missed-heading">Missed calls</h3>
          <p>
            {missed === 1 ? '1 missed call' : `${missed} missed calls`}{' '}
            <button type="button" onClick={seen}>
              Mark missed calls as seen
            </button>
          </p>
        </section>
      )}
      <section aria-labelledby="history-heading">
        <h3 id="history-heading">Recent calls</h3>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {calls && !calls.length && <p class="hint">No calls yet.</p>}
        <ul class="rows">
          {calls?.map((entry) => (
            <li key={entry.id}>
              <span>
                {entry.other.username}{' '}
                <span class="hint">
                  {entry.direction === 'incoming' ? 'Incoming' : 'Outgoing'} · {outcomeWord(entry)} ·{' '}
                  {new Date(entry.createdAt).toLocaleString()}
                  {entry.durationSeconds !== null && ` · ${formatDuration(entry.durationSeconds)}`}
                </span>
              </span>
              {line && isContact(entry.other.userId) && (
                <button
                  type="button"
                  aria-label={`Call back ${entry.other.username}`}
                  onClick={() => line.call(entry.other)}
                >
                  Call back
                </button>
              )}
            </li>
          ))}
        </ul>
        {next && (
          <button type="button" onClick={() => load(next)}>
            Show more
          </button>
        )}
      </section>
    </>
  );
}
