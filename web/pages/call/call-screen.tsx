/**
 * The call: the other person large, yourself small, the controls at the bottom within thumb
 * reach. What happens to the other person (muted, camera off, sharing, left, connection lost) is
 * written in a live region, so screen readers announce it as it happens.
 */
import { useMemo, useState } from 'preact/hooks';
import { useAuth } from '../../auth.tsx';
import type { CallEnd } from '../../call/call-state.ts';
import { screenShareNote } from '../../call/media/capabilities.ts';
import { SoundGate } from '../../call/media/sound-gate.ts';
import { ChatPanel } from '../../components/call/chat-button.tsx';
import { Audio } from '../../components/call/media-view.tsx';
import { MutedHint } from '../../components/call/muted-hint.tsx';
import { SafetyNotice, SafetyPanel, VerifiedMark } from '../../components/call/safety.tsx';
import { Tile } from '../../components/call/tile.tsx';
import { useEmitted } from '../../components/call/use-emitted.ts';
import { CallControls } from './call-controls.tsx';
import { callStatus } from './call-status.ts';
import type { CallVisit } from './visit.ts';

export function CallScreen({ visit, onLeave }: { visit: CallVisit; onLeave: () => void }) {
  const { engine, media, insight } = visit;
  const { user } = useAuth();
  const state = useEmitted((listener) => engine.on('state', listener), engine.state, [engine]);
  const remote = useEmitted((listener) => engine.on('remote', listener), engine.remote, [engine]);
  const local = useEmitted((listener) => media.on('change', listener), media.state, [media]);
  const [waiting, setWaiting] = useState(false);
  const gate = useMemo(() => new SoundGate(), []);
  const soundBlocked = useEmitted((listener) => gate.on('change', listener), gate.blocked, [gate]);
  const { peer } = state;
  const here = peer?.presence !== 'left';
  const selfVideo = local.screen?.video ?? local.camera;
  const problem = local.problems.screen ?? local.problems.camera ?? local.problems.microphone;
  const screenNote = screenShareNote(local.screen);

  if (state.phase === 'ended' && state.ended !== 'hung-up') return <Ended reason={state.ended} onLeave={onLeave} />;

  return (
    <main class="call">
      <h1 class="visually-hidden">{peer ? `Call with ${peer.username}` : 'Call'}</h1>
      <Tile
        class="remote"
        name={peer?.username ?? 'Waiting for someone to join'}
        video={remote?.video}
        showVideo={!!peer && here && (peer.media.camera || peer.media.screen)}
        insight={{ insight, side: 'remote' }}
      >
        <p class="tile-status" role="status" aria-live="polite">
          {callStatus(state)}
        </p>
        <VerifiedMark safety={visit.safety} />
      </Tile>
      <Tile
        class="self"
        name={`${user?.username ?? 'Me'} (you)`}
        video={selfVideo}
        showVideo={selfVideo !== undefined}
        mirrored={!local.screen && local.facing !== 'environment'}
        insight={{ insight, side: 'self' }}
      />
      {remote && <Audio tracks={[remote.mic]} sinkId={local.speakerId} gate={gate} />}
      {remote && <Audio tracks={[remote.screenAudio]} sinkId={local.speakerId} gate={gate} />}
      {soundBlocked && (
        <button type="button" class="primary sound-blocked" onClick={() => gate.unblock()}>
          Turn on sound
        </button>
      )}
      <MutedHint insight={insight} />
      <p class="call-banner call-note" role="status">
        {screenNote}
      </p>
      {problem && (
        <p class="call-problem" role="alert">
          {problem.message}
        </p>
      )}
      {peer?.presence === 'left' && !waiting && (
        <div class="left-panel" role="dialog" aria-labelledby="left-heading">
          <h2 id="left-heading">{peer.username} left</h2>
          <p>They may come back: the call picks up again when they do.</p>
          <div class="left-actions">
            <button type="button" onClick={() => setWaiting(true)}>
              Wait for {peer.username}
            </button>
            <button type="button" class="primary" onClick={onLeave}>
              Leave
            </button>
          </div>
        </div>
      )}
      <SafetyNotice safety={visit.safety} peerName={peer?.username} />
      <ChatPanel chat={visit.chat} peerName={peer?.username} />
      <SafetyPanel safety={visit.safety} peerName={peer?.username} />
      <CallControls visit={visit} local={local} onLeave={onLeave} />
    </main>
  );
}

const ENDINGS: Record<Exclude<CallEnd, 'hung-up'>, { title: string; text: string }> = {
  'room-full': { title: 'This call is full', text: 'Two people are already in it. Ask them for a new link.' },
  replaced: {
    title: 'You joined from somewhere else',
    text: 'This call is now open in another tab or window. Continue there, or close it and reload this page.',
  },
  'unsupported-version': {
    title: 'EdgeCall was updated',
    text: 'Reload the page to get the new version, then join again.',
  },
  refused: { title: 'The call stopped', text: 'The room closed the connection. Reload the page to join again.' },
  'signed-out': {
    title: 'You were signed out',
    text: 'This browser was signed out (a logout, a password change, or from another device). Sign in again to join.',
  },
  'answered-elsewhere': {
    title: 'Answered on another device',
    text: 'You accepted this call in another tab or window at the same moment: the call is there.',
  },
  'too-many-sockets': {
    title: 'Too many connections',
    text: 'This call is open in too many tabs or windows. Close the others, then reload this page.',
  },
};

function Ended({ reason, onLeave }: { reason: CallEnd | undefined; onLeave: () => void }) {
  const ending = ENDINGS[reason === 'hung-up' || reason === undefined ? 'refused' : reason];
  return (
    <main class="narrow ended">
      <h1>{ending.title}</h1>
      <p role="alert">{ending.text}</p>
      <button type="button" class="primary" onClick={onLeave}>
        Back to Home
      </button>
    </main>
  );
}
