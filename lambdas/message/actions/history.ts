import type { HistoryFrame } from '../../../contract/protocol';
import { LIMITS } from '../../shared/protocol/limits';
import { historyBudget } from './history-budget';
import type { ActionHandler } from './types';

/**
 * `history`: the sender gets a page of older messages, oldest first, as many as `limit` asks and one message can
 * carry, and the `cursor` of the next older page while there is one.
 */
export const history: ActionHandler<'history'> = async (frame, sender, deps) => {
  const envelope = { type: 'history', room: sender.room, messages: [] } as const;
  const page = await deps.history.page(sender.room, frame.limit ?? LIMITS.historyDefaultLimit, frame.before, historyBudget(envelope));
  const reply: HistoryFrame = { type: 'history', room: sender.room, ...page };
  await deps.poster.post(sender.connectionId, reply);
};
