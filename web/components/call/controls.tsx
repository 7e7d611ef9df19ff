/**
 * A call control. Each toggle is a real button whose accessible name never changes
 * ("Microphone", "Camera", "Share screen") and whose state is `aria-pressed` (true = on), so a
 * screen reader says "Microphone, toggle button, pressed". Tooltips name the keyboard shortcut.
 */
import { Icon, type IconName } from './icons.tsx';

interface ControlProps {
  label: string;
  icon: IconName;
  /** Toggles only: on = pressed. */
  pressed?: boolean;
  /** Off is worth a warning (a muted mic, a camera off): drawn crossed out, in red. */
  warnOff?: boolean;
  shortcut?: string;
  tone?: 'danger';
  onClick: () => void;
}

export function Control({ label, icon, pressed, warnOff = false, shortcut, tone, onClick }: ControlProps) {
  const title = shortcut ? `${label} (${shortcut})` : label;
  return (
    <button
      type="button"
      class={`control${tone ? ` ${tone}` : ''}${warnOff ? ' warn-off' : ''}`}
      aria-pressed={pressed}
      title={title}
      aria-keyshortcuts={shortcut}
      onClick={onClick}
    >
      <Icon name={icon} off={warnOff && pressed === false} />
      <span class="control-label">{label}</span>
    </button>
  );
}
