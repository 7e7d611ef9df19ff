import { describe, expect, it } from 'vitest';
import { roomIdFrom } from './room-code.ts';

describe('roomIdFrom', () => {
  const id = 'AbCdEfGh_-123456';
  it.each([
    [id, id],
    [`  ${id}\n`, id],
    [`https://edgecall.example/call/${id}`, id],
    [`http://localhost:5173/call/${id}?relay=1`, id],
    [`edgecall.example/call/${id}#x`, id],
  ])('finds the room in %j', (input, expected) => expect(roomIdFrom(input)).toBe(expected));

  it.each(['', 'hello', `${id}7`, `https://edgecall.example/rooms/${id}`, `https://x/call/${id}extra`])(
    'finds none in %j',
    (input) => expect(roomIdFrom(input)).toBeUndefined(),
  );
});
