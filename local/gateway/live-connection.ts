import type { WebSocket } from 'ws';

/** A client connection as the gateway tracks it. */
export interface LiveConnection {
  connectionId: string;
  /** `connecting` while $connect runs: API Gateway refuses posts to it until then. */
  state: 'connecting' | 'open';
  socket: WebSocket | undefined;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
}
