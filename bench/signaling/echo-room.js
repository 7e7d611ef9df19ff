/**
 * The baseline of `npm run bench:signaling`: the least a Durable Object can do to relay between
 * the two WebSockets of a room. Same hibernation API as the real room, every frame passed on as it
 * came, no identity, no parsing, no limits: what the runtime itself costs.
 *
 * Plain JavaScript because it runs in workerd while bench/ is type-checked for Node.
 */
import { DurableObject } from 'cloudflare:workers';

export class EchoRoom extends DurableObject {
  async fetch() {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(message);
  }

  async webSocketClose(ws, code) {
    if (code !== 1005 && code !== 1006 && code !== 1015) ws.close(1000);
  }
}
