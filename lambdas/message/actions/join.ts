import { LIMITS } from '../../shared/protocol/limits';
import type { ActionHandler } from './types';

/** `join`: the sender gets `welcome` with who they are, who is online (by name, capped) and the recent history. */
export const join: ActionHandler<'join'> = async (_frame, sender, deps) => {
  const [recent, members] = await Promise.all([
    deps.history.page(sender.room, LIMITS.welcomeHistoryLength),
    deps.connections.listNamedMembers(sender.room),
  ]);
  await deps.poster.post(sender.connectionId, {
    type: 'welcome',
    you: { id: sender.userId, name: sender.name },
    room: sender.room,
    online: members.length,
    members: members.slice(0, LIMITS.welcomeMembersMax).map((member) => ({ id: member.userId, name: member.name })),
    history: recent.messages,
  });
};
