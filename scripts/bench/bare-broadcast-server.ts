import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline: the simplest broadcast server `ws` allows (run in a process of its own by runtime-host.ts). It keeps rooms in memory and sends each
 * message to the room and each draft to the others, the same frames the chat sends, with no stream, no functions and
 * no database. What it measures is this machine's floor for N sockets, so the chat's figures read as ratios.
 */
export async function startBareBroadcastServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer();
  const sockets = new WebSocketServer({ server, perMessageDeflate: false });
  const rooms = new Map<string, Set<WebSocket>>();
  let nextId = 0;
  sockets.on('connection', (socket, request) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const room = query.get('room') ?? 'lobby';
    const name = query.get('name') ?? 'someone';
    const members = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, members);
    members.add(socket);
    socket.on('close', () => members.delete(socket));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { action?: string; text?: string };
      const author = { id: name, name };
      if (frame.action === 'join') {
        socket.send(JSON.stringify({ type: 'welcome', you: author, room, online: members.size, history: [] }));
      } else if (frame.action === 'sendMessage') {
        nextId += 1;
        const payload = JSON.stringify({ type: 'user', id: String(nextId).padStart(12, '0'), room, author, text: frame.text, ts: Date.now() });
        for (const member of members) member.send(payload);
      } else if (frame.action === 'typing') {
        const payload = JSON.stringify({ type: 'typing', room, author, text: frame.text, ts: Date.now() });
        for (const member of members) if (member !== socket) member.send(payload);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
