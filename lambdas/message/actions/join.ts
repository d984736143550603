import { LIMITS } from '../../shared/protocol';
import type { ActionHandler } from './types';

/** `join`: the sender gets `welcome` with who they are, how many are online and the recent history. */
export const join: ActionHandler<'join'> = async (_frame, sender, deps) => {
  const [recent, online] = await Promise.all([
    deps.history.page(sender.room, LIMITS.welcomeHistoryLength),
    deps.connections.countRoom(sender.room),
  ]);
  await deps.poster.post(sender.connectionId, {
    type: 'welcome',
    you: { id: sender.userId, name: sender.name },
    room: sender.room,
    online,
    history: recent.messages,
  });
};
