/** The answer of `GET /api/turn-credentials?room=`: the ICE servers a call uses, and until when. */

/** One STUN or TURN server, as RTCPeerConnection takes it (RTCIceServer). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface TurnCredentials {
  iceServers: IceServer[];
  /** ISO 8601; fetch new servers before then (RTCPeerConnection.setConfiguration). */
  expiresAt: string;
  /** Whether a TURN relay is among them (false: STUN only, some networks cannot connect). */
  relay: boolean;
}
