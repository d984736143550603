import type { ActionHandler } from './types';

/** `typing`: the sender's whole current draft goes to everyone else in the room; `""` means they stopped. */
export const typing: ActionHandler<'typing'> = async (frame, sender, deps) => {
  await deps.bus.publish({
    v: 1,
    room: sender.room,
    frame: {
      type: 'typing',
      room: sender.room,
      author: { id: sender.userId, name: sender.name },
      text: frame.text,
      ts: sender.receivedAt,
    },
    exclude: sender.connectionId,
  });
};
