import { LIMITS } from '../../shared/protocol/limits';
import type { ActionHandler } from './types';

/** `history`: the sender gets a page of older messages, oldest first, and whether there are more. */
export const history: ActionHandler<'history'> = async (frame, sender, deps) => {
  const page = await deps.history.page(sender.room, frame.limit ?? LIMITS.historyDefaultLimit, frame.before);
  await deps.poster.post(sender.connectionId, { type: 'history', room: sender.room, ...page });
};
