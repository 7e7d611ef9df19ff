/**
 * One person's tile: their video, or their initials when no picture is coming (camera off, or an
 * audio-only participant), with their name. `mirrored` flips a front camera so the self view
 * moves like a mirror; the peer always sees the unflipped picture.
 */
import type { ComponentChildren } from 'preact';
import { Video } from './media-view.tsx';

interface TileProps {
  name: string;
  video: MediaStreamTrack | undefined;
  showVideo: boolean;
  mirrored?: boolean;
  class: string;
  children?: ComponentChildren;
}

export function Tile({ name, video, showVideo, mirrored = false, class: className, children }: TileProps) {
  return (
    <figure class={`tile ${className}`}>
      {showVideo && video ? (
        <Video tracks={[video]} class={mirrored ? 'mirrored' : undefined} />
      ) : (
        <div class="initials" aria-hidden="true">
          {initials(name)}
        </div>
      )}
      <figcaption class="tile-name">{name}</figcaption>
      {children}
    </figure>
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
