/**
 * What the user line does on every page of a signed-in tab (loaded after sign-in, its own chunk):
 * runs the line client into the tab's store (line-state.ts), and shows the incoming-call dialog
 * ("<name> is calling", the user's own camera, Accept, Decline) with its ringtone, and the callee's
 * quiet notices. Accept goes straight to the call's page, which joins as soon as the line says
 * this tab's Accept won.
 */
import './ringing.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { callPath } from '../../protocol/rooms.ts';
import type { CallView } from '../../protocol/user-line.ts';
import { useAuth } from '../auth.tsx';
import type { LocalMedia } from '../call/media/local-media.ts';
import { useLocation } from '../router.tsx';
import { LineClient, lineSocketUrl } from './line-client.ts';
import { line, ringingIncoming, useLine } from './line-state.ts';
import { playTone } from './tones.ts';

type CallPageModule = typeof import('../pages/call/index.tsx');

export function Ringing() {
  useEffect(() => {
    const client = new LineClient(lineSocketUrl(location.origin));
    const offMessage = client.on('message', (message) => line.apply(message));
    line.sender = (message) => client.send(message);
    client.start();
    return () => {
      offMessage();
      line.sender = () => false;
      client.stop();
    };
  }, []);
  const incoming = useLine(ringingIncoming);
  return (
    <>
      {incoming && <IncomingCall key={incoming.id} call={incoming} />}
      <Notices />
    </>
  );
}

const RINGING_TITLE = 'Incoming call · EdgeCall';

function IncomingCall({ call }: { call: CallView }) {
  const { route } = useLocation();
  // Rendered for a signed-in user only (user-line.tsx).
  const { user } = useAuth();
  const ownUserId = user?.id ?? '';
  const ownName = user?.username ?? 'You';
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<string>();
  const accepted = useRef(false);
  const callPage = useRef<CallPageModule>(undefined);
  // The user's own camera, once the call page's code is here and this tab is on screen.
  const [preview, setPreview] = useState<{ page: CallPageModule; media: LocalMedia }>();
  const hush = useRef(() => {});
  const name = call.other.username;

  // Open before the first paint; the ringtone and readying the call wait until it is on screen.
  useLayoutEffect(() => dialog.current?.showModal(), []);
  useEffect(() => {
    // Stopped by this tab's Accept or the ring's end, whichever comes first (stopping twice is harmless).
    const stopTone = playTone('ringtone');
    hush.current = () => {
      stopTone();
      dialog.current?.close();
    };
    // Seen from another tab, and where autoplay rules keep the ringtone silent until a click.
    const title = document.title;
    document.title = RINGING_TITLE;
    // Accepting should open the call at once: its page's code loads and its room is readied
    // (socket, ICE servers, offer; no camera or microphone) while it rings.
    let release: (() => void) | undefined;
    let closed = false;
    void import('../pages/call/index.tsx').then((page) => {
      callPage.current = page;
      // Accepted already: the call page made its own.
      if (closed || accepted.current) return;
      const warm = page.warmVisit(call.roomId, ownUserId);
      release = warm.release;
      if (warm.preview) setPreview({ page, media: warm.preview });
    });
    return () => {
      closed = true;
      stopTone();
      // Unless a page opened meanwhile (Accept's) has set its own.
      if (document.title === RINGING_TITLE) document.title = title;
      // Accepted here: the call page takes the visit (or lets go of it if another tab won).
      if (!accepted.current) release?.();
    };
  }, []);

  const answer = (type: 'accept' | 'decline') => {
    // Standing by in the call's room: the call page takes the seat, then tells the line.
    if (type === 'accept' && callPage.current?.answerOnStandby(call.roomId)) {
      accepted.current = true;
      // The line still says it rings until this tab is seated: the dialog's part is done.
      hush.current();
      route(callPath(call.roomId));
      return;
    }
    if (!line.send({ type, callId: call.id })) {
      setProblem('Not connected to EdgeCall right now. Check your connection and try again.');
      return;
    }
    if (type !== 'accept') return;
    accepted.current = true;
    route(callPath(call.roomId));
  };

  return (
    // Escape would close it without an answer; the call keeps ringing, so it stays.
    <dialog
      ref={dialog}
      class="incoming-call"
      aria-labelledby="incoming-call-title"
      onCancel={(event) => event.preventDefault()}
    >
      <h2 id="incoming-call-title">{name} is calling</h2>
      {preview && <preview.page.IncomingPreview media={preview.media} name={ownName} />}
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="incoming-call-actions">
        <button type="button" class="decline" onClick={() => answer('decline')}>
          Decline
        </button>
        <button type="button" class="primary" onClick={() => answer('accept')}>
          Accept
        </button>
      </div>
    </dialog>
  );
}

function Notices() {
  const notices = useLine((state) => state.notices);
  return (
    <div class="line-notices" role="status">
      {notices.map(({ key, text }) => (
        <p key={key} class="line-notice">
          {text}
          <button type="button" onClick={() => line.dismiss(key)} aria-label={`Dismiss: ${text}`}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
