/**
 * "You are muted": shown while the user talks into a muted microphone (insight.ts, with the
 * MUTED_SPEECH timing: half a second of talking, and it stays three seconds after). The region
 * is always on the page so that screen readers announce the hint when it appears.
 */
import './insight.css';
import type { CallInsight } from '../../call/insight/insight.ts';
import { useEmitted } from './use-emitted.ts';

export function MutedHint({ insight }: { insight: CallInsight }) {
  const talking = useEmitted((listener) => insight.on('muted-speech', listener), insight.mutedSpeech, [insight]);
  return (
    <p class="call-banner muted-hint" role="status">
      {talking ? 'You are muted. Press M or the Microphone button to talk.' : ''}
    </p>
  );
}
