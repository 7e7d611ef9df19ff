/**
 * A call control. Each toggle is a real button whose accessible name never changes
 * ("Microphone", "Camera", "Share screen") and whose state is `aria-pressed` (true = on), so a
 * screen reader says "Microphone, toggle button, pressed". Tooltips name the keyboard shortcut.
 */
import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from './icons.tsx';

interface ControlProps {
  label: string;
  /** The accessible name when it says more than the label (e.g. "Chat, 2 unread"). */
  name?: string;
  icon: IconName;
  id?: string;
  /** Toggles only: on = pressed. */
  pressed?: boolean;
  /** A control that opens a panel: whether it is open, and the panel's id while it is. */
  expanded?: boolean;
  controls?: string;
  /** Off is worth a warning (a muted mic, a camera off): drawn crossed out, in red. */
  warnOff?: boolean;
  shortcut?: string;
  tone?: 'danger';
  onClick: () => void;
  /** Drawn over the icon (a badge). */
  children?: ComponentChildren;
}

export function Control(props: ControlProps) {
  const { label, name, icon, id, pressed, expanded, controls, warnOff = false, shortcut, tone, onClick } = props;
  const title = shortcut ? `${label} (${shortcut})` : label;
  return (
    <button
      type="button"
      id={id}
      class={`control${tone ? ` ${tone}` : ''}${warnOff ? ' warn-off' : ''}`}
      aria-label={name}
      aria-pressed={pressed}
      aria-expanded={expanded}
      aria-controls={controls}
      title={title}
      aria-keyshortcuts={shortcut}
      onClick={onClick}
    >
      <Icon name={icon} off={warnOff && pressed === false} />
      <span class="control-label">{label}</span>
      {props.children}
    </button>
  );
}
