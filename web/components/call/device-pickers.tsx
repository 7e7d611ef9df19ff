/**
 * Camera, microphone and speaker pickers. Device names only appear once the user has allowed the
 * camera or microphone, so before that a picker offers just "Default". The speaker picker appears
 * only where the browser can route audio to a chosen output (HTMLMediaElement.setSinkId).
 */
import { canPickSpeaker as canPick } from '../../call/media/capabilities.ts';
import type { LocalMedia, LocalMediaState } from '../../call/media/local-media.ts';

const canPickSpeaker = canPick(typeof HTMLMediaElement === 'undefined' ? undefined : HTMLMediaElement);

export function DevicePickers({ media, state }: { media: LocalMedia; state: LocalMediaState }) {
  const { cameras, mics, speakers } = state.devices;
  return (
    <div class="pickers">
      <Picker
        id="pick-camera"
        label="Camera"
        devices={cameras}
        value={state.cameraId}
        onPick={(id) => void media.selectCamera(id)}
      />
      <Picker
        id="pick-mic"
        label="Microphone"
        devices={mics}
        value={state.micId}
        onPick={(id) => void media.selectMic(id)}
      />
      {canPickSpeaker && (
        <Picker
          id="pick-speaker"
          label="Speaker"
          devices={speakers}
          value={state.speakerId}
          onPick={(id) => media.selectSpeaker(id)}
        />
      )}
    </div>
  );
}

interface PickerProps {
  id: string;
  label: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onPick: (deviceId: string) => void;
}

function Picker({ id, label, devices, value, onPick }: PickerProps) {
  // Before anything is chosen the browser uses its default, which it lists first.
  const selected = devices.some((device) => device.deviceId === value) ? value : devices[0]?.deviceId;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={selected ?? ''}
        disabled={devices.length === 0}
        onChange={(event) => onPick(event.currentTarget.value)}
      >
        {devices.length === 0 && <option value="">Default</option>}
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `${label} ${index + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}
