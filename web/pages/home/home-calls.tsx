/**
 * Home's calls section: start a new call, join one from a link or code, or go back to a recent
 * room. Starting a call creates a room (POST /api/rooms) and opens its lobby.
 */
import './home-calls.css';
import type { InferResponseType } from 'hono/client';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { callPath } from '../../../protocol/rooms.ts';
import { api, call } from '../../api.ts';
import { roomIdFrom } from './room-code.ts';

type RecentRoom = InferResponseType<typeof api.rooms.$get, 200>['rooms'][number];

export function HomeCalls() {
  const { route } = useLocation();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  const newCall = async () => {
    setPending(true);
    const result = await call(api.rooms.$post());
    setPending(false);
    if (result.ok) route(callPath(result.data.id));
    else setError(result.error.message);
  };

  const join = (event: SubmitEvent) => {
    event.preventDefault();
    const input = new FormData(event.currentTarget as HTMLFormElement).get('room');
    const id = roomIdFrom(typeof input === 'string' ? input : '');
    if (id) route(callPath(id));
    else setError('That is not a room link or code. Paste the whole link, or the 16-character code at its end.');
  };

  return (
    <>
      <button type="button" class="primary" onClick={newCall} disabled={pending}>
        New call
      </button>
      <form class="inline-form" onSubmit={join} noValidate>
        <div class="field">
          <label for="room">Room link or code</label>
          <input id="room" name="room" autocomplete="off" autocapitalize="none" spellcheck={false} />
        </div>
        <button type="submit">Join</button>
      </form>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <RecentRooms />
    </>
  );
}

function RecentRooms() {
  const [rooms, setRooms] = useState<RecentRoom[]>();
  useEffect(() => {
    void call(api.rooms.$get()).then((result) => setRooms(result.ok ? result.data.rooms : []));
  }, []);
  if (!rooms?.length) return null;
  return (
    <section aria-labelledby="recent-heading">
      <h3 id="recent-heading">Recent rooms</h3>
      <ul class="recent-rooms">
        {rooms.map((room) => (
          <li key={room.id}>
            <a href={callPath(room.id)}>{room.owner.username}'s room</a>{' '}
            <span class="hint">
              {room.id} · {new Date(room.visitedAt).toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
