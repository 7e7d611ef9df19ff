/**
 * The call's buttons and their keyboard shortcuts (M microphone, V camera, S screen, C chat). "Share
 * screen" appears only where the browser can capture a screen (not on phones); "Switch camera"
 * where there is another camera to switch to, or a camera that says which way it faces (phones).
 */

import { canShareScreen as canShare } from '../../call/media/capabilities.ts';
import type { LocalMediaState } from '../../call/media/local-media.ts';
import { ChatButton } from '../../components/call/chat-button.tsx';
import { Control } from '../../components/call/controls.tsx';
import { SafetyButton } from '../../components/call/safety.tsx';
import { useShortcuts } from '../../components/call/use-shortcuts.ts';
import type { CallVisit } from './visit.ts';

const canShareScreen = canShare(typeof navigator === 'undefined' ? undefined : navigator);

interface CallControlsProps {
  visit: CallVisit;
  local: LocalMediaState;
  onLeave: () => void;
}

export function CallControls({ visit, local, onLeave }: CallControlsProps) {
  const { media } = visit;
  const micOn = local.micOn && local.mic !== undefined;
  const cameraOn = local.camera !== undefined;
  const sharing = local.screen !== undefined;
  const canSwitch = cameraOn && (local.devices.cameras.length > 1 || local.facing !== undefined);
  const toggleMic = () => void media.setMic(!micOn);
  const toggleCamera = () => void media.setCamera(!cameraOn);
  const toggleScreen = () => void (sharing ? media.stopScreen() : media.startScreen());
  const toggleChat = () => visit.chat.setPanelOpen(!visit.chat.panelOpen);
  useShortcuts({ m: toggleMic, v: toggleCamera, s: canShareScreen ? toggleScreen : undefined, c: toggleChat });

  return (
    <div class="controls">
      <Control label="Microphone" icon="mic" pressed={micOn} warnOff shortcut="M" onClick={toggleMic} />
      <Control label="Camera" icon="camera" pressed={cameraOn} warnOff shortcut="V" onClick={toggleCamera} />
      {canShareScreen && (
        <Control label="Share screen" icon="screen" pressed={sharing} shortcut="S" onClick={toggleScreen} />
      )}
      {canSwitch && <Control label="Switch camera" icon="switch" onClick={() => void media.switchCamera()} />}
      <ChatButton chat={visit.chat} />
      <SafetyButton safety={visit.safety} />
      <Control label="End call" icon="end" tone="danger" onClick={onLeave} />
    </div>
  );
}
