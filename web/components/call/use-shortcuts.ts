/**
 * Single-key shortcuts for the call (M, V, S…), ignored while the user types in a field or holds a
 * modifier, so that typing "m" in a chat box or pressing Ctrl+S never toggles anything.
 */
import { useEffect } from 'preact/hooks';

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** `keys` maps a lower-case key to its action; the latest map is used on every press. */
export function useShortcuts(keys: Record<string, (() => void) | undefined>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const action = keys[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });
}
