/**
 * The open chat panel: a sheet above the controls on phones, a side panel on wide screens. Loaded
 * the first time the chat opens (chat-button.tsx holds the button, the draft, and where it shows);
 * it focuses the message field when it appears, and Escape or "Close" closes it.
 */
import './chat.css';
import { useEffect, useRef } from 'preact/hooks';
import { type Chat, type ChatMessage, messageKey } from '../../call/chat/chat.ts';
import { chatUnavailable, droppedNote, lengthProblem, messageTime, TRIMMED_NOTE } from './chat-text.ts';

interface OpenChatPanelProps {
  id: string;
  chat: Chat;
  peerName: string | undefined;
  draft: string;
  setDraft: (draft: string) => void;
  /** Closes the panel, and puts focus back on the Chat button. */
  onClose: () => void;
}

export default function OpenChatPanel({ id, chat, peerName, draft, setDraft, onClose: close }: OpenChatPanelProps) {
  const field = useRef<HTMLTextAreaElement>(null);
  const unavailable = chatUnavailable(chat.state, peerName);
  const tooLong = lengthProblem(draft);
  const canSend = !unavailable && !tooLong && draft.trim() !== '';
  const send = () => {
    if (canSend && chat.send(draft)) setDraft('');
  };
  useEffect(() => field.current?.focus(), []);

  return (
    <aside
      id={id}
      class="chat-panel"
      aria-labelledby="chat-heading"
      onKeyDown={(event) => event.key === 'Escape' && close()}
    >
      <div class="chat-header">
        <h2 id="chat-heading">Chat</h2>
        <button type="button" onClick={close}>
          Close<span class="visually-hidden"> chat</span>
        </button>
      </div>
      <p class="hint">
        Messages go straight to the other person, never through our server, and are gone when you leave.
      </p>
      <MessageLog messages={chat.messages} trimmed={chat.trimmed} peerName={peerName ?? 'Them'} />
      {chat.dropped > 0 && (
        <p class="hint" role="status">
          {droppedNote(peerName ?? 'the other person')}
        </p>
      )}
      <form
        class="chat-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label class="visually-hidden" for="chat-message">
          Message
        </label>
        <textarea
          id="chat-message"
          ref={field}
          rows={2}
          placeholder="Message"
          value={draft}
          disabled={unavailable !== undefined}
          aria-invalid={tooLong !== undefined}
          aria-describedby={tooLong ? 'chat-too-long' : unavailable ? 'chat-unavailable' : undefined}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter starts a new line; never while an input method composes.
            if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
            event.preventDefault();
            send();
          }}
        />
        <button type="submit" class="primary" disabled={!canSend}>
          Send
        </button>
        {unavailable && (
          <p id="chat-unavailable" class="hint chat-status">
            {unavailable}
          </p>
        )}
        {tooLong && (
          <p id="chat-too-long" class="field-error chat-status" role="alert">
            {tooLong}
          </p>
        )}
      </form>
    </aside>
  );
}

/** The history as a log region: screen readers read each new message as it arrives. */
interface MessageLogProps {
  messages: readonly ChatMessage[];
  /** Older messages were removed (the history is capped): say so above the rest. */
  trimmed: boolean;
  peerName: string;
}

function MessageLog({ messages, trimmed, peerName }: MessageLogProps) {
  const log = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  // The newest message, not the count: once the history is full the count stays the same.
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [last && messageKey(last)]);
  return (
    <div class="chat-log" role="log" aria-label="Messages" ref={log}>
      {trimmed && <p class="hint">{TRIMMED_NOTE}</p>}
      {messages.length === 0 ? (
        <p class="hint">No messages yet.</p>
      ) : (
        <ol>
          {messages.map((message) => (
            <li key={messageKey(message)} class={`chat-message ${message.from}`}>
              <p class="chat-meta">
                <span class="chat-name">{message.from === 'me' ? 'You' : peerName}</span>{' '}
                <time dateTime={new Date(message.sentAt).toISOString()}>{messageTime(message.sentAt)}</time>
              </p>
              <p class="chat-text">{message.text}</p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
