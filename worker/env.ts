/** The Worker's bindings: wrangler.toml `[vars]`, secrets, the assets and the room Durable Objects. */
import type { CallRoomRpc } from './call-room/rpc.ts';
import type { UserLineRpc } from './user-line/rpc.ts';

export interface Env {
  ASSETS: Fetcher;
  /** One call room per id: `ROOMS.idFromName(roomId)`. */
  ROOMS: DurableObjectNamespace<CallRoomRpc>;
  /** One line per user, for presence and ringing: `USER_LINES.idFromName(userId)`. */
  USER_LINES: DurableObjectNamespace<UserLineRpc>;

  /** Postgres connection string (Neon in production). Secret. */
  DATABASE_URL: string;
  /** Signs session JWTs (HS256); at least 32 random bytes. Secret. */
  SESSION_SECRET: string;
  /** Resend API key. Secret, required by wrangler.toml; unset, mail fails unless DEV_MAILBOX is on. */
  RESEND_API_KEY?: string;
  /**
   * Local development and tests only: "1" keeps mail in the dev mailbox instead of failing when no
   * RESEND_API_KEY is set, and opens /dev/mail to loopback requests. Empty in wrangler.toml.
   */
  DEV_MAILBOX: string;
  MAIL_FROM: string;
  /** Public origin used in mailed links; empty means "the origin of the request". */
  APP_URL: string;

  /** Comma-separated stun: URLs; empty means stun:stun.cloudflare.com:3478. */
  STUN_URLS: string;
  /** TURN REST (coturn `use-auth-secret`): comma-separated turn: URLs plus the shared secret. */
  TURN_URLS: string;
  /** Secret. Used only with TURN_URLS; never sent to browsers (worker/turn/ice-servers.ts). */
  TURN_SECRET?: string;
  /** Lifetime of TURN credentials in seconds: default 600, at most 3600. */
  TURN_TTL_SECONDS: string;
  /** Cloudflare TURN: key id (var) and API token (secret). Takes precedence over TURN_URLS. */
  TURN_KEY_ID: string;
  TURN_KEY_API_TOKEN?: string;

  /** How long a call rings before it ends unanswered, in ms; empty means RING_TIMEOUT_MS (protocol/calls.ts). */
  RING_TIMEOUT_MS: string;

  /** Local development only: `host:port/token` of the loopback proxy in front of Postgres (scripts/lib/ws-proxy.ts). */
  DB_PROXY: string;
}
