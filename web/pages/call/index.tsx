/**
 * /call/:id: the lobby, then the call, in one page so that both use the same camera, microphone
 * and engine (visit.ts). A tab that was in this call before a reload goes straight back in
 * (rejoin.ts); ending the call returns Home. A room that a ring made (web/line/) has no lobby: the
 * caller sees "Calling <name>…" and the callee who accepted "Connecting…" (ringing-screen.tsx), and
 * both join the moment the line says the call was answered.
 */
import '../../components/call/call.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CallView } from '../../../protocol/user-line.ts';
import { api, call } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { useEmitted } from '../../components/call/use-emitted.ts';
import { Page } from '../../components/page.tsx';
import { callInRoom, line, useLine } from '../../line/line-state.ts';
import { ringEndedText } from '../../line/outcome-text.ts';
import { type RouteProps, useLocation } from '../../router.tsx';
import { CallScreen } from './call-screen.tsx';
import { Lobby, type RoomInfo } from './lobby.tsx';
import { forgetCall, rejoinFor, rememberCall } from './rejoin.ts';
import { RingEnded, RingingScreen } from './ringing-screen.tsx';
import { dropWarmVisit, takeVisit } from './visit.ts';

// For the incoming-call dialog, which loads this page while it rings (web/line/ringing.tsx).
export { IncomingPreview } from './ringing-screen.tsx';
export { answerOnStandby, warmVisit } from './visit.ts';

export default function CallPage({ params }: RouteProps) {
  const roomId = params.id ?? '';
  const ring = useLine((state) => callInRoom(state, roomId), [roomId]);
  const ended = ring && ringEndedText(ring);
  if (ended) return <RingEnded text={ended} onShow={() => dropWarmVisit(roomId)} />;
  return <CallVisitPage roomId={roomId} ring={ring} />;
}

/** `ring`: the call the user line rang in this room, if any. */
function CallVisitPage({ roomId, ring }: { roomId: string; ring: CallView | undefined }) {
  const { route } = useLocation();
  // Signed in: the page shows only then (SignedIn, auth.tsx).
  const ownUserId = useAuth().user?.id ?? '';
  const { visit, answering } = useMemo(() => takeVisit(roomId, ownUserId), [roomId, ownUserId]);
  const [joined, setJoined] = useState(false);
  const room = useRoom(roomId, !joined && !ring);
  const { starting } = useEmitted((listener) => visit.media.on('change', listener), visit.media.state, [visit]);

  /** Takes a seat (if not seated yet) and shows the call. */
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
    // Accepted on the connection made while it rang: camera and seat were asked for in the click.
    if (answering) join();
    else {
      // Connects to the room (no seat yet) and readies the offer while the user is in the lobby.
      void visit.engine.prepare();
      const rejoin = rejoinFor(roomId);
      void visit.media.start(rejoin ?? { mic: true, camera: true }).then(() => rejoin && join());
    }
    return () => visit.dispose();
  }, [visit]);

  // The line hears of this Accept once the room seated this tab (visit.ts, `answerOnStandby`),
  // even if the seat came before this page rendered, or while the line was down.
  const callId = ring?.id;
  useEffect(() => {
    if (!answering || !callId) return;
    const accept = () => line.sendWhenOpen({ type: 'accept', callId });
    if (visit.engine.state.phase === 'in-call') return accept();
    let giveUp = () => {};
    const off = visit.engine.on('state', ({ phase }) => {
      if (phase !== 'in-call') return;
      off();
      giveUp = accept();
    });
    return () => {
      off();
      giveUp();
    };
  }, [visit, callId]);

  // A ring: the caller waits seated in the room (its answering link gathers meanwhile), so the
  // callee's join on Accept meets it at once; the call shows when the line says answered. The
  // callee joins then without waiting for its camera: the tracks follow as they start.
  const ringing = ring?.outcome === 'ringing';
  const answered = ring?.outcome === 'answered';
  const outgoing = ring?.direction === 'outgoing';
  useEffect(() => {
    if (outgoing && ringing && !starting) void visit.engine.join();
  }, [outgoing, ringing, starting]);
  useEffect(() => {
    if (answered && !joined) join();
  }, [answered, joined]);
  useEffect(() => {
    if (!outgoing || joined) return;
    // The callee's connection took its seat (their Accept): the call shows before the line says so.
    return visit.engine.on('state', ({ phase }) => phase === 'in-call' && join());
  }, [visit, outgoing, joined]);

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
  if (ring) return <RingingScreen visit={visit} call={ring} />;
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
