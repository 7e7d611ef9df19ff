/**
 * What a tile shows of how the call goes: a ring while the person speaks, the quality of their
 * side of the connection (the other person's tile: what we receive; ours: what we send), and on
 * the other person's tile the video tools. None of it is a live region: speech comes and goes all
 * the time and the grade can change every few seconds, too much to announce; a screen reader finds
 * it on the tile when asked ("Connection: good", "Speaking").
 */
import './insight.css';
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CallInsight } from '../../call/insight/insight.ts';
import { lazyPart } from './lazy-part.tsx';
import { useEmitted } from './use-emitted.ts';
import { STATS_PANEL_ID, VideoTools } from './video-tools.tsx';

/** Loaded the first time someone opens it: most calls never do. */
const StatsPanel = lazyPart(() => import('./stats-panel.tsx'));

export interface TileInsightSource {
  insight: CallInsight;
  side: 'remote' | 'self';
}

interface TileInsightProps extends TileInsightSource {
  /** The tile's <video>, while it shows one. */
  video: HTMLVideoElement | null;
  tile: RefObject<HTMLElement | null>;
}

export function TileInsight({ insight, side, video, tile }: TileInsightProps) {
  const speaking = useEmitted((listener) => insight.on('speaking', listener), insight.speaking, [insight])[side];
  const [statsOpen, setStatsOpen] = useState(false);
  useEffect(() => (side === 'remote' && video ? insight.timeFirstFrame(video) : undefined), [insight, side, video]);
  return (
    <>
      {speaking && (
        <div class="speaking-ring">
          <span class="visually-hidden">Speaking</span>
        </div>
      )}
      <div class="tile-tools">
        <QualityBadge insight={insight} side={side} />
        {side === 'remote' && (
          <VideoTools video={video} tile={tile} statsOpen={statsOpen} onStats={() => setStatsOpen(!statsOpen)} />
        )}
      </div>
      {statsOpen && <StatsPanel id={STATS_PANEL_ID} insight={insight} />}
    </>
  );
}

/** Signal bars, filled by grade (three, two, one), in green, amber or red, with the grade in words. */
const BARS = { good: 3, fair: 2, poor: 1 } as const;

function QualityBadge({ insight, side }: TileInsightSource) {
  const sample = useEmitted((listener) => insight.on('sample', listener), insight.sample, [insight]);
  const grade = sample?.quality[side === 'remote' ? 'inbound' : 'outbound'];
  if (grade === undefined || grade === 'unknown') return null;
  return (
    <p class="quality" data-grade={grade}>
      <svg viewBox="0 0 12 12" width="14" height="14" fill="currentColor" aria-hidden="true" focusable="false">
        {[1, 2, 3].map((bar) => (
          <rect
            key={bar}
            x={bar * 4 - 4}
            y={12 - bar * 4}
            width="3"
            height={bar * 4}
            opacity={bar <= BARS[grade] ? 1 : 0.3}
          />
        ))}
      </svg>
      <span class="quality-text">
        <span class="visually-hidden">Connection: </span>
        {grade}
      </span>
    </p>
  );
}
