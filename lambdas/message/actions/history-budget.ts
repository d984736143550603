import { LIMITS } from '../../shared/protocol/limits';

/** The longest `cursor` a page can carry: a message id. */
const CURSOR_PLACEHOLDER = '0'.repeat(26);

/**
 * Bytes the `messages` array of a frame may take so the whole frame fits one API Gateway message: the limit less the
 * frame's other fields (`envelope`, encoded with an empty array and the longest cursor), plus the `[]` it counted.
 */
export function historyBudget(envelope: object): number {
  const bytes = Buffer.byteLength(JSON.stringify({ ...envelope, hasMore: true, cursor: CURSOR_PLACEHOLDER }));
  return LIMITS.messageMaxBytes - bytes + '[]'.length;
}
