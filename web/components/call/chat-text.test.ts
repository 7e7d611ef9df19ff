import { describe, expect, it } from 'vitest';
import { MAX_CHAT_TEXT } from '../../call/chat/chat.ts';
import {
  badgeText,
  chatButtonName,
  chatUnavailable,
  droppedNote,
  lengthProblem,
  messageTime,
  TRIMMED_NOTE,
  unreadStatus,
} from './chat-text.ts';

describe('the Chat button', () => {
  it('names the unread count, and says nothing of it when there is none', () => {
    expect(chatButtonName(0)).toBe('Chat');
    expect(chatButtonName(2)).toBe('Chat, 2 unread');
  });

  it('caps the badge at 9+', () => {
    expect([1, 9, 10, 250].map(badgeText)).toEqual(['1', '9', '9+', '9+']);
  });

  it('announces unread messages in words', () => {
    expect([0, 1, 3].map(unreadStatus)).toEqual(['', '1 unread chat message', '3 unread chat messages']);
  });
});

describe('chatUnavailable', () => {
  it('is nothing while the channel is open', () => {
    expect(chatUnavailable('open', 'bob')).toBeUndefined();
  });

  it('says what to wait for otherwise', () => {
    expect(chatUnavailable('connecting', 'bob')).toBe('You can chat once you are connected to bob.');
    expect(chatUnavailable('closed', undefined)).toBe('You can chat once someone joins the call.');
  });
});

describe('lengthProblem', () => {
  it('accepts the longest message, surrounding spaces aside', () => {
    expect(lengthProblem(` ${'x'.repeat(MAX_CHAT_TEXT)}\n`)).toBeUndefined();
  });

  it('says by how much a message is too long', () => {
    expect(lengthProblem('x'.repeat(MAX_CHAT_TEXT + 3))).toBe(
      `Too long to send: ${MAX_CHAT_TEXT + 3} characters, at most ${MAX_CHAT_TEXT}. Remove 3.`,
    );
  });
});

describe('messageTime', () => {
  it('shows hours and minutes in the given locale', () => {
    const sentAt = new Date(2026, 10, 26, 14, 5, 59).getTime();
    expect(messageTime(sentAt, 'en-GB')).toBe('14:05');
  });
});

describe('notes on what the chat did not keep', () => {
  it('names the sender of a flood and the rate, and the size of the history', () => {
    expect(droppedNote('bob')).toBe('Some messages from bob were not shown: they came faster than 20 a second.');
    expect(TRIMMED_NOTE).toBe('Older messages were removed: the chat keeps the latest 500.');
  });
});
