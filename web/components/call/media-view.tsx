/**
 * A <video> or <audio> element playing the given tracks. Media elements take a MediaStream
 * object, not an attribute, so it is set in an effect; a new stream is made only when the tracks
 * change, so the element does not restart for every re-render.
 */
import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { SoundGate } from '../../call/media/sound-gate.ts';

interface MediaViewProps {
  tracks: (MediaStreamTrack | undefined)[];
  /** An audio output device (setSinkId), where the browser supports choosing one. */
  sinkId?: string | undefined;
}

interface VideoProps extends MediaViewProps {
  class?: string | undefined;
  /** Hands the element over while it is on the page (picture-in-picture, frame timing). */
  onElement?: ((video: HTMLVideoElement | null) => void) | undefined;
}

export function Video({ tracks, class: className, onElement }: VideoProps) {
  const ref = useStream<HTMLVideoElement>(tracks);
  useEffect(() => {
    onElement?.(ref.current);
    return () => onElement?.(null);
  }, [onElement]);
  // Muted: a video element never plays our audio; sound goes through <Audio> (one sink choice).
  return <video ref={ref} class={className} autoplay playsinline muted />;
}

/** `gate`: started through it, so that sound refused by autoplay rules waits for "Turn on sound". */
export function Audio({ tracks, sinkId, gate }: MediaViewProps & { gate: SoundGate }) {
  const ref = useStream<HTMLAudioElement>(tracks, gate);
  useEffect(() => {
    const element = ref.current;
    if (sinkId && element && 'setSinkId' in element) void element.setSinkId(sinkId).catch(() => {});
  }, [sinkId]);
  // biome-ignore lint/a11y/useMediaCaption: live call audio has no caption track to give.
  return <audio ref={ref} autoplay />;
}

function useStream<E extends HTMLMediaElement>(
  tracks: (MediaStreamTrack | undefined)[],
  gate?: SoundGate,
): RefObject<E | null> {
  const ref = useRef<E>(null);
  const present = tracks.filter((track): track is MediaStreamTrack => track !== undefined);
  const key = present.map((track) => track.id).join(',');
  // Keyed by the track ids: the same tracks keep the same stream.
  const stream = useMemo(() => (present.length > 0 ? new MediaStream(present) : null), [key]);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = stream;
    if (!gate || !stream) return;
    gate.play(element);
    return () => gate.forget(element);
  }, [stream]);
  return ref;
}
