/**
 * The lobby: see and hear yourself before joining. A mirrored preview, the microphone level,
 * microphone and camera toggles, device pickers, the room's link to send, and "Join call".
 * Joining without a camera or microphone is allowed; each device that failed says why and how to
 * fix it (device-errors.ts).
 */
import { useState } from 'preact/hooks';
import { useAuth } from '../../auth.tsx';
import { Control } from '../../components/call/controls.tsx';
import { DevicePickers } from '../../components/call/device-pickers.tsx';
import { MicMeter } from '../../components/call/mic-meter.tsx';
import { SelfPreview } from '../../components/call/tile.tsx';
import { useEmitted } from '../../components/call/use-emitted.ts';
import { Page } from '../../components/page.tsx';
import type { CallVisit } from './visit.ts';

export type RoomInfo =
  | { status: 'loading' }
  /** `present`: the names of who is in the call now. */
  | { status: 'ready'; owner: string; url: string; present: string[] };

interface LobbyProps {
  visit: CallVisit;
  room: RoomInfo;
  onJoin: () => void;
}

export function Lobby({ visit, room, onJoin }: LobbyProps) {
  const { media } = visit;
  const { user } = useAuth();
  const local = useEmitted((listener) => media.on('change', listener), media.state, [media]);
  const micOn = local.micOn && local.mic !== undefined;
  const problems = Object.values(local.problems).filter((problem) => problem !== undefined);
  const nothing = !local.starting && !local.mic && !local.camera;
  const link = room.status === 'ready' ? room.url : location.href;

  return (
    <Page title="Join call" heading="Ready to join?">
      <div class="lobby">
        <div class="lobby-preview">
          <SelfPreview name={user?.username ?? 'You'} local={local} />
          <div class="lobby-toggles">
            <Control label="Microphone" icon="mic" pressed={micOn} warnOff onClick={() => void media.setMic(!micOn)} />
            <Control
              label="Camera"
              icon="camera"
              pressed={local.camera !== undefined}
              warnOff
              onClick={() => void media.setCamera(local.camera === undefined)}
            />
          </div>
          <MicMeter track={local.mic} on={micOn} />
        </div>
        <div class="lobby-side">
          {room.status === 'ready' && (
            <>
              <p class="room-owner">{room.owner}'s room</p>
              <p class="presence" role="status">
                {whoIsHere(room.present, user?.username)}
              </p>
            </>
          )}
          {local.starting && <p role="status">Starting your camera and microphone…</p>}
          {problems.length > 0 && (
            <ul class="problems" role="alert">
              {problems.map((problem) => (
                <li key={problem.device}>{problem.message}</li>
              ))}
            </ul>
          )}
          {nothing && (
            <p class="notice">You can still join: the other person will not see or hear you until a device works.</p>
          )}
          <button type="button" class="primary join" onClick={onJoin} disabled={local.starting}>
            Join call
          </button>
          <ShareLink url={link} />
          <DevicePickers media={media} state={local} />
        </div>
      </div>
    </Page>
  );
}

/** Who the user would meet; themselves, when the call is open in another tab (joining moves it here). */
function whoIsHere(present: string[], me: string | undefined): string {
  const others = present.filter((name) => name !== me);
  const notes = others.length > 0 ? [`${others.join(' and ')} ${others.length === 1 ? 'is' : 'are'} in the call.`] : [];
  if (others.length < present.length) notes.push('You are in this call in another tab: joining here moves you.');
  return notes.length > 0 ? notes.join(' ') : 'Nobody else is here yet.';
}

/** "Copy link", and the system share sheet where there is one (phones). */
function ShareLink({ url }: { url: string }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied. Send it to the person you want to talk to.');
    } catch {
      setCopied(`Copy this link by hand: ${url}`);
    }
  };
  const canShare = typeof navigator.share === 'function' && matchMedia('(pointer: coarse)').matches;
  return (
    <div class="share-link">
      <button type="button" onClick={copy}>
        Copy link
      </button>
      {canShare && (
        <button type="button" onClick={() => void navigator.share({ title: 'Join my EdgeCall', url }).catch(() => {})}>
          Share…
        </button>
      )}
      <p class="hint" role="status">
        {copied ?? ''}
      </p>
    </div>
  );
}
