/**
 * One person's tile: their video, or their initials when no picture is coming (camera off, or an
 * audio-only participant), with their name. `mirrored` flips a front camera so the self view
 * moves like a mirror; the peer always sees the unflipped picture. In a call, `insight` adds the
 * quality and speaking indicators (and, on the other person's tile, the video tools).
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { LocalMediaState } from '../../call/media/local-media.ts';
import { Video } from './media-view.tsx';
import { TileInsight, type TileInsightSource } from './tile-insight.tsx';

interface TileProps {
  name: string;
  video: MediaStreamTrack | undefined;
  showVideo: boolean;
  mirrored?: boolean;
  class: string;
  insight?: TileInsightSource;
  children?: ComponentChildren;
}

export function Tile({ name, video, showVideo, mirrored = false, class: className, insight, children }: TileProps) {
  const tile = useRef<HTMLElement>(null);
  const [element, setElement] = useState<HTMLVideoElement | null>(null);
  const shown = showVideo && video;
  return (
    <figure class={`tile ${className}`} ref={tile}>
      {shown ? (
        <Video tracks={[video]} class={mirrored ? 'mirrored' : undefined} onElement={insight && setElement} />
      ) : (
        <div class="initials" aria-hidden="true">
          {initials(name)}
        </div>
      )}
      <figcaption class="tile-name">{name}</figcaption>
      {children}
      {insight && <TileInsight {...insight} video={shown ? element : null} tile={tile} />}
    </figure>
  );
}

/** The user's own camera before a call (lobby, "Calling <name>…"): a front camera mirrored. */
export function SelfPreview({ name, local }: { name: string; local: Pick<LocalMediaState, 'camera' | 'facing'> }) {
  return (
    <Tile
      class="preview"
      name={name}
      video={local.camera}
      showVideo={local.camera !== undefined}
      mirrored={local.facing !== 'environment'}
    />
  );
}

/** "alice_smith" → "AS", "bob" → "B": up to two letters from the name's words. */
export function initials(name: string): string {
  const words = name.split(/[\s_.-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}
