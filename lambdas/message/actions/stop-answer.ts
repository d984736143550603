import { ERROR_CODES } from '../../shared/protocol/error-codes';
import { ProtocolError } from '../../shared/protocol/protocol-error';
import type { ActionHandler } from './types';

/**
 * `stopAnswer`: asks the bot to stop a streaming answer; only its asker may. Nothing goes on the stream: the request is
 * written onto the answer's claim, which the bot reads while it streams, and the room then sees the answer's `end`
 * with `stopReason: "stopped"`.
 */
export const stopAnswer: ActionHandler<'stopAnswer'> = async (frame, sender, deps) => {
  const outcome = await deps.answers.requestStop(frame.id, sender.userId, sender.receivedAt);
  if (outcome === 'not_found') {
    throw new ProtocolError(ERROR_CODES.notFound, 'That answer is not being written any more (or never was), so there is nothing to stop');
  }
  if (outcome === 'forbidden') {
    throw new ProtocolError(ERROR_CODES.forbidden, 'Only the person who asked can stop this answer');
  }
};
