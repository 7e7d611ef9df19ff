/** A WebSocket stand-in for unit tests: the test plays the room. */
export class FakeSocket extends EventTarget {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | undefined;

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number): void {
    this.closedWith = code;
  }

  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  receive(data: unknown): void {
    this.dispatchEvent(
      Object.assign(new Event('message'), {
        data: typeof data === 'object' && !(data instanceof ArrayBuffer) ? JSON.stringify(data) : data,
      }),
    );
  }

  drop(code: number): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }

  /** The JSON messages sent so far (PINGs left out). */
  messages(): unknown[] {
    return this.sent.filter((data) => data.startsWith('{')).map((data) => JSON.parse(data));
  }
}
