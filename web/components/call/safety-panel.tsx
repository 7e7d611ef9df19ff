/**
 * The open safety code panel: the code both people should see, in 4 groups of 5 digits, what to do
 * with it, and "Mark as verified". Loaded the first time "Safety code" opens it (safety.tsx), with
 * the code's derivation (safety-code.ts), as most calls never open it. Escape or "Close" closes it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SafetyCheck, SafetyState } from '../../call/safety/safety-check.ts';
import { safetyCode } from '../../call/safety/safety-code.ts';

interface OpenSafetyPanelProps {
  id: string;
  safety: SafetyCheck;
  state: SafetyState;
  peerName: string | undefined;
  /** Closes the panel, and puts focus back on the Safety code button. */
  onClose: () => void;
}

export default function OpenSafetyPanel({ id, safety, state, peerName, onClose: close }: OpenSafetyPanelProps) {
  const code = useCode(state);
  const name = peerName ?? 'the other person';
  return (
    <section
      id={id}
      class="safety-panel"
      aria-labelledby={`${id}-heading`}
      onKeyDown={(event) => event.key === 'Escape' && close()}
    >
      <div class="safety-header">
        <h2 id={`${id}-heading`}>Safety code</h2>
        <button type="button" onClick={close}>
          Close<span class="visually-hidden"> safety code</span>
        </button>
      </div>
      {!state.fingerprints ? (
        <p>The code appears once you are connected to {name}.</p>
      ) : !code ? (
        <p role="status">Working out the code…</p>
      ) : (
        <>
          <p class="safety-code" data-code={code.join(' ')}>
            {code.map((group, index) => (
              <span key={index}>{group}</span>
            ))}
          </p>
          <p>Compare this code with {name}: if it matches, nobody is listening in.</p>
          <p class="hint">
            Read it to each other on this call, or compare in person. If the codes differ, someone may be in the middle
            of this call.
          </p>
          {state.status === 'verified' ? (
            <p class="verified-note" role="status">
              You verified {name}'s device.
            </p>
          ) : (
            <button type="button" class="primary" onClick={() => safety.markVerified()}>
              Mark as verified
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The code of the connection's two certificates, worked out once per pair. */
function useCode({ fingerprints }: SafetyState): string[] | undefined {
  const [code, setCode] = useState<string[]>();
  useEffect(() => {
    setCode(undefined);
    if (!fingerprints) return;
    let current = true;
    void safetyCode(fingerprints.local, fingerprints.remote).then((groups) => current && setCode(groups));
    return () => {
      current = false;
    };
  }, [fingerprints]);
  return code;
}
