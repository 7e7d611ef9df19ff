/**
 * /call/:id: the lobby, then the call, in one page so that both use the same camera, microphone
 * and engine (visit.ts). A tab that was in this call before a reload goes straight back in
 * (rejoin.ts); ending the call returns Home.
 */
import '../../components/call/call.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, call } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Page } from '../../components/page.tsx';
import { type RouteProps, useLocation } from '../../router.tsx';
import { CallScreen } from './call-screen.tsx';
import { Lobby, type RoomInfo } from './lobby.tsx';
import { forgetCall, rejoinFor, rememberCall } from './rejoin.ts';
import { createCallVisit } from './visit.ts';

export default function CallPage({ params }: RouteProps) {
  const roomId = params.id ?? '';
  const { route } = useLocation();
  // Signed in: the page shows only then (SignedIn, auth.tsx).
  const ownUserId = useAuth().user?.id ?? '';
  const visit = useMemo(() => createCallVisit(roomId, ownUserId), [roomId, ownUserId]);
  const [joined, setJoined] = useState(false);
  const room = useRoom(roomId, !joined);

  const join = () => {
    const { micOn, camera } = visit.media.state;
    rememberCall({ roomId, mic: micOn, camera: camera !== undefined });
    // Before the call screen renders: `join` leaves in this click's task, not after that render.
    void visit.engine.join();
    setJoined(true);
  };
  const leave = () => {
    forgetCall();
    visit.dispose();
    route('/');
  };

  useEffect(() => {
    // Connects to the room (no seat yet) and readies the offer while the user is in the lobby.
    void visit.engine.prepare();
    const rejoin = rejoinFor(roomId);
    void visit.media.start(rejoin ?? { mic: true, camera: true }).then(() => rejoin && join());
    return () => visit.dispose();
  }, [visit]);

  useEffect(() => {
    // No room here: let go of the camera and microphone the lobby opened.
    if (room.status === 'missing') visit.dispose();
  }, [visit, room.status]);

  useEffect(() => {
    if (!joined) return;
    // A reload comes back with the devices as they are now; a call that ended is not rejoined.
    const offMedia = visit.media.on('change', ({ micOn, camera }) =>
      rememberCall({ roomId, mic: micOn, camera: camera !== undefined }),
    );
    const offState = visit.engine.on('state', ({ phase }) => phase === 'ended' && forgetCall());
    return () => {
      offMedia();
      offState();
    };
  }, [visit, joined]);

  if (room.status === 'missing') {
    return (
      <Page title="No such call">
        <p role="alert">{room.message}</p>
        <p>
          <a href="/">Back to Home</a>
        </p>
      </Page>
    );
  }
  if (joined) return <CallScreen visit={visit} onLeave={leave} />;
  return <Lobby visit={visit} room={room} onJoin={join} />;
}

/** How often the lobby asks who is in the call: often enough to see someone arrive. */
const PRESENCE_REFRESH_MS = 5_000;

/** The room, and who is in its call, refreshed while the lobby shows (`live`). */
function useRoom(roomId: string, live: boolean): RoomInfo | { status: 'missing'; message: string } {
  const [room, setRoom] = useState<RoomInfo | { status: 'missing'; message: string }>({ status: 'loading' });
  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    const load = async () => {
      const result = await call(api.rooms[':id'].$get({ param: { id: roomId } }));
      if (cancelled) return;
      if (result.ok) {
        const { owner, url, present } = result.data;
        setRoom({ status: 'ready', owner: owner.username, url, present: present.map(({ username }) => username) });
      } else {
        // A refresh that fails for another reason (offline, throttled) keeps what the lobby shows.
        const { code, message } = result.error;
        setRoom((shown) =>
          shown.status === 'ready' && code !== 'room_not_found' ? shown : { status: 'missing', message },
        );
      }
    };
    void load();
    // Nobody reads a hidden lobby: no refresh for it.
    const timer = setInterval(() => document.hidden || void load(), PRESENCE_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [roomId, live]);
  return room;
}
