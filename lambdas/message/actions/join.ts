import type { WelcomeFrame } from '../../../contract/protocol';
import { LIMITS } from '../../shared/protocol/limits';
import { historyBudget } from './history-budget';
import type { ActionHandler } from './types';

/**
 * `join`: the sender gets `welcome` with who they are, who is online (by name, capped) and the recent history: the
 * newest messages that fit one API Gateway message beside the rest, with the `cursor` of older ones.
 */
export const join: ActionHandler<'join'> = async (_frame, sender, deps) => {
  const { members, online } = await deps.connections.namedMembers(sender.room, LIMITS.welcomeMembersMax);
  const envelope: Omit<WelcomeFrame, 'hasMore'> = {
    type: 'welcome',
    you: { id: sender.userId, name: sender.name },
    room: sender.room,
    online,
    members: members.map((member) => ({ id: member.userId, name: member.name })),
    history: [],
    bot: deps.bot,
  };
  const recent = await deps.history.page(sender.room, LIMITS.welcomeHistoryLength, undefined, historyBudget(envelope));
  const welcome: WelcomeFrame = { ...envelope, history: recent.messages, hasMore: recent.hasMore, ...(recent.cursor ? { cursor: recent.cursor } : {}) };
  await deps.poster.post(sender.connectionId, welcome);
};
