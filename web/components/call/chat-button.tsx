/**
 * The in-call chat's part that every call loads: the "Chat" button (with its unread badge) for the
 * call controls, and the place of the panel it opens (chat-panel.tsx, loaded the first time it
 * opens). Both read the call visit's Chat (web/call/chat/chat.ts), which counts messages while the panel is
 * closed and knows whether it is open, so opening it from the button or the C key reads every
 * message at once.
 */
import './chat-button.css';
import { useEffect, useReducer, useState } from 'preact/hooks';
import type { Chat } from '../../call/chat/chat.ts';
import { badgeText, chatButtonName, unreadStatus } from './chat-text.ts';
import { Control } from './controls.tsx';
import { lazyPart } from './lazy-part.tsx';

const BUTTON_ID = 'chat-button';
const PANEL_ID = 'chat-panel';

const OpenChatPanel = lazyPart(() => import('./chat-panel.tsx'));

/** Renders again on every change of the chat (messages, unread count, channel, panel). */
function useChat(chat: Chat): void {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => chat.events.on('change', changed), [chat]);
}

/** The call control that opens and closes the chat (shortcut C, in call-controls.tsx). */
export function ChatButton({ chat }: { chat: Chat }) {
  useChat(chat);
  const open = chat.panelOpen;
  return (
    <>
      <Control
        id={BUTTON_ID}
        label="Chat"
        name={chatButtonName(chat.unread)}
        icon="chat"
        pressed={open}
        expanded={open}
        controls={open ? PANEL_ID : undefined}
        shortcut="C"
        onClick={() => chat.setPanelOpen(!open)}
      >
        {chat.unread > 0 && (
          <span class="chat-badge" aria-hidden="true">
            {badgeText(chat.unread)}
          </span>
        )}
      </Control>
      <span class="visually-hidden" role="status">
        {unreadStatus(chat.unread)}
      </span>
    </>
  );
}

/** The chat panel while open. `peerName`: the other person, to name their messages. */
export function ChatPanel({ chat, peerName }: { chat: Chat; peerName: string | undefined }) {
  useChat(chat);
  // Kept here, outside the open panel, so that closing it keeps a message being written.
  const [draft, setDraft] = useState('');
  if (!chat.panelOpen) return null;
  const close = () => {
    chat.setPanelOpen(false);
    document.getElementById(BUTTON_ID)?.focus();
  };
  return (
    <OpenChatPanel id={PANEL_ID} chat={chat} peerName={peerName} draft={draft} setDraft={setDraft} onClose={close} />
  );
}
