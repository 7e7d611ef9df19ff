/**
 * Why a camera, microphone or screen could not be opened, in words a person can act on.
 *
 * getUserMedia and getDisplayMedia reject with DOMException names, not reasons; this maps them to
 * the three situations people can fix (and a catch-all):
 * - `denied`: NotAllowedError / SecurityError — the user or a policy refused permission;
 * - `busy`: NotReadableError / AbortError — the OS or another app holds the device;
 * - `missing`: NotFoundError / OverconstrainedError — no such device (or the chosen one is gone).
 */
export type Device = 'camera' | 'microphone' | 'screen';
export type ProblemKind = 'denied' | 'busy' | 'missing' | 'unknown';

export interface DeviceProblem {
  device: Device;
  kind: ProblemKind;
  /** One or two sentences: what happened and how to fix it. */
  message: string;
}

export function problemKind(error: unknown): ProblemKind {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    default:
      return 'unknown';
  }
}

export function describeProblem(device: Device, error: unknown): DeviceProblem {
  const kind = problemKind(error);
  return { device, kind, message: message(device, kind) };
}

function message(device: Device, kind: ProblemKind): string {
  if (device === 'screen') {
    switch (kind) {
      case 'denied':
        return 'Screen sharing was not allowed. Choose a screen, window or tab and press Share to try again.';
      case 'busy':
        return 'Your screen could not be captured. Close other apps that record the screen and try again.';
      case 'missing':
        return 'There is nothing to share on this device.';
      case 'unknown':
        return 'Screen sharing did not start. Try again.';
      default:
        return kind satisfies never;
    }
  }
  const Device = device === 'camera' ? 'Camera' : 'Microphone';
  switch (kind) {
    case 'denied':
      return `${Device} access is blocked. Click the camera icon in the address bar (or your browser's site settings), allow the ${device}, then reload the page.`;
    case 'busy':
      return `Your ${device} is in use by another app or tab. Close it there (video apps, other calls), then try again.`;
    case 'missing':
      return `No ${device} was found. Plug one in, or pick another in the list, then try again.`;
    case 'unknown':
      return `Your ${device} could not be started. Try again, or pick another one in the list.`;
    default:
      return kind satisfies never;
  }
}
