/**
 * The safety code's part that every call loads: the "Safety code" control, the place of the panel
 * it opens (safety-panel.tsx, loaded the first time it opens, with the code's derivation), the
 * "Verified" mark on the other person's tile, and the notice that their safety code changed. All
 * read the call visit's SafetyCheck (web/call/safety/safety-check.ts).
 */
import './safety.css';
import type { SafetyCheck, SafetyState } from '../../call/safety/safety-check.ts';
import { Control } from './controls.tsx';
import { lazyPart } from './lazy-part.tsx';
import { useEmitted } from './use-emitted.ts';

const BUTTON_ID = 'safety-button';
const PANEL_ID = 'safety-panel';

const OpenSafetyPanel = lazyPart(() => import('./safety-panel.tsx'));

export function useSafety(safety: SafetyCheck): SafetyState {
  return useEmitted((listener) => safety.on('change', listener), safety.state, [safety]);
}

/** The call control that opens and closes the safety code panel. */
export function SafetyButton({ safety }: { safety: SafetyCheck }) {
  const open = useSafety(safety).panelOpen;
  return (
    <Control
      id={BUTTON_ID}
      label="Safety code"
      icon="safety"
      pressed={open}
      expanded={open}
      controls={open ? PANEL_ID : undefined}
      onClick={() => safety.setPanelOpen(!open)}
    />
  );
}

/** The panel while open; `peerName`: the other person, to say whom to compare with. */
export function SafetyPanel({ safety, peerName }: { safety: SafetyCheck; peerName: string | undefined }) {
  const state = useSafety(safety);
  if (!state.panelOpen) return null;
  const close = () => {
    safety.setPanelOpen(false);
    document.getElementById(BUTTON_ID)?.focus();
  };
  return <OpenSafetyPanel id={PANEL_ID} safety={safety} state={state} peerName={peerName} onClose={close} />;
}

/** On the other person's tile: "Verified" while their device is the one verified. */
export function VerifiedMark({ safety }: { safety: SafetyCheck }) {
  if (useSafety(safety).status !== 'verified') return null;
  return <p class="verified-mark">Verified</p>;
}

/** Said once, plainly, when a verified person's certificate is not the one verified. */
export function SafetyNotice({ safety, peerName }: { safety: SafetyCheck; peerName: string | undefined }) {
  const { status } = useSafety(safety);
  return (
    <p class="call-banner safety-notice" role="alert">
      {status === 'changed' &&
        `${peerName ?? 'The other person'}'s safety code changed. Compare it again (Safety code) before you trust this call.`}
    </p>
  );
}
