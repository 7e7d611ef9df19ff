/**
 * The other person's tile's tools: "Stats" shows or hides the stats panel, "Picture in picture"
 * floats their video above other windows, "Fullscreen" fills the screen with their tile (name,
 * indicators and these tools stay on it). The last two appear only where the browser can do them:
 * iPhones have no element fullscreen, Firefox no picture-in-picture API.
 */
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { canFullscreen, canPictureInPicture } from '../../call/media/capabilities.ts';

/** The stats panel's id, for the Stats tool's `aria-controls`. */
export const STATS_PANEL_ID = 'call-stats';

const ICONS = {
  stats: 'M4 20V10h3v10H4Zm6.5 0V4h3v16h-3ZM17 20v-7h3v7h-3Z',
  pip: 'M19 11h-8v6h8v-6Zm4 8V5a2 2 0 0 0-2-2H3a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h18a2 2 0 0 0 2-2Zm-2 0H3V5h18v14Z',
  fullscreen: 'M7 14H5v5h5v-2H7v-3Zm-2-4h2V7h3V5H5v5Zm12 7h-3v2h5v-5h-2v3ZM14 5v2h3v3h2V5h-5Z',
} as const;

interface ToolProps {
  label: string;
  icon: keyof typeof ICONS;
  onClick: () => void;
  pressed?: boolean;
  expanded?: boolean;
}

function Tool({ label, icon, onClick, pressed, expanded }: ToolProps) {
  return (
    <button
      type="button"
      class="tool"
      title={label}
      aria-pressed={pressed}
      aria-expanded={expanded}
      aria-controls={expanded === undefined ? undefined : STATS_PANEL_ID}
      onClick={onClick}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" aria-hidden="true" focusable="false">
        <path d={ICONS[icon]} />
      </svg>
      <span class="visually-hidden">{label}</span>
    </button>
  );
}

interface VideoToolsProps {
  video: HTMLVideoElement | null;
  tile: RefObject<HTMLElement | null>;
  statsOpen: boolean;
  onStats: () => void;
}

export function VideoTools({ video, tile, statsOpen, onStats }: VideoToolsProps) {
  const pip = usePictureInPicture(video);
  const fullscreen = useFullscreen(tile);
  return (
    <>
      <Tool label="Stats" icon="stats" expanded={statsOpen} onClick={onStats} />
      {pip && <Tool label="Picture in picture" icon="pip" pressed={pip.active} onClick={pip.toggle} />}
      {fullscreen && (
        <Tool label="Fullscreen" icon="fullscreen" pressed={fullscreen.active} onClick={fullscreen.toggle} />
      )}
    </>
  );
}

/** The browser said no (a policy, or the element left the page): the button just stays as it was. */
const refused = () => {};

interface Toggle {
  active: boolean;
  toggle: () => void;
}

/** Picture-in-picture of `video`; undefined where unsupported, or with no video to show. */
function usePictureInPicture(video: HTMLVideoElement | null): Toggle | undefined {
  const [active, setActive] = useState(false);
  useEffect(() => {
    if (!video) return;
    const update = () => setActive(document.pictureInPictureElement === video);
    update();
    video.addEventListener('enterpictureinpicture', update);
    video.addEventListener('leavepictureinpicture', update);
    return () => {
      video.removeEventListener('enterpictureinpicture', update);
      video.removeEventListener('leavepictureinpicture', update);
    };
  }, [video]);
  if (!video || !canPictureInPicture(document)) return undefined;
  return {
    active,
    toggle: () => void (active ? document.exitPictureInPicture() : video.requestPictureInPicture()).catch(refused),
  };
}

/** Fullscreen for the tile; undefined where the browser has no element fullscreen. */
function useFullscreen(tile: RefObject<HTMLElement | null>): Toggle | undefined {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const update = () => setActive(document.fullscreenElement !== null && document.fullscreenElement === tile.current);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, [tile]);
  if (!canFullscreen(document)) return undefined;
  return {
    active,
    toggle: () => void (active ? document.exitFullscreen() : tile.current?.requestFullscreen())?.catch(refused),
  };
}
