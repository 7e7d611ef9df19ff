/**
 * The call page while a ring is on (web/line/): the caller's "Calling <name>…" with their own
 * preview, the ringback tone and Cancel; a callee whose Accept is on its way sees "Connecting…".
 * The caller is seated in the room meanwhile, and the callee's tab readied its side while it rang
 * (visit.ts, `warmVisit`), so the answer only has to join. A ring that ends otherwise says how
 * (`RingEnded`). The incoming-call dialog shows the callee's own camera (`IncomingPreview`).
 */
import { useEffect } from 'preact/hooks';
import type { CallView } from '../../../protocol/user-line.ts';
import { useAuth } from '../../auth.tsx';
import type { LocalMedia } from '../../call/media/local-media.ts';
import { SelfPreview } from '../../components/call/tile.tsx';
import { useEmitted } from '../../components/call/use-emitted.ts';
import { Page } from '../../components/page.tsx';
import { line } from '../../line/line-state.ts';
import { useLocation } from '../../router.tsx';
import type { CallVisit } from './visit.ts';

export function RingingScreen({ visit, call }: { visit: CallVisit; call: CallView }) {
  const { media } = visit;
  const { user } = useAuth();
  const { route } = useLocation();
  const local = useEmitted((listener) => media.on('change', listener), media.state, [media]);
  const outgoing = call.direction === 'outgoing';
  const name = call.other.username;

  useEffect(() => {
    if (!outgoing) return;
    // Only a ring needs the tones' code: a call link opened cold does not download it.
    let stop: (() => void) | undefined;
    let done = false;
    void import('../../line/tones.ts').then(({ playTone }) => {
      if (!done) stop = playTone('ringback');
    });
    return () => {
      done = true;
      stop?.();
    };
  }, [outgoing]);

  const cancel = () => {
    line.send({ type: 'cancel', callId: call.id });
    route('/');
  };

  return (
    <Page title={outgoing ? `Calling ${name}…` : `Connecting to ${name}…`}>
      <div class="lobby">
        <div class="lobby-preview">
          <SelfPreview name={user?.username ?? 'You'} local={local} />
        </div>
        {outgoing && (
          <div class="lobby-side">
            <button type="button" class="decline" onClick={cancel}>
              Cancel
            </button>
          </div>
        )}
      </div>
    </Page>
  );
}

/** The callee's own camera in the incoming-call dialog (web/line/ringing.tsx), while it rings. */
export function IncomingPreview({ media, name }: { media: LocalMedia; name: string }) {
  const local = useEmitted((listener) => media.on('change', listener), media.state, [media]);
  return <SelfPreview name={name} local={local} />;
}

/** `onShow`: lets go of what the ring had readied. */
export function RingEnded({ text, onShow }: { text: string; onShow: () => void }) {
  useEffect(onShow, []);
  return (
    <Page title={text}>
      <p role="status">{text}</p>
      <p>
        <a href="/">Back to Home</a>
      </p>
    </Page>
  );
}
