import { logger } from '../shared/logger';
import type { AnswerClaims, Claim } from './answer-claims';
import type { EventBus } from '../shared/event-bus';
import { BOT_FAILURES } from './describe-failure';

/**
 * Ends an answer that was cut short (its invocation crashed, timed out or was stopped while it streamed) with an `ai`
 * `error` under its own id, so everyone who saw it start sees it end, and history keeps it. Whoever moves the claim
 * from `claimed` to `failed` publishes; if publishing fails the claim is reopened and the error thrown, to be tried
 * again. The text is empty: clients keep what they were shown.
 */
export async function closeAnswer(claim: Claim, deps: { claims: AnswerClaims; bus: Pick<EventBus, 'publish'> }, now: number): Promise<void> {
  if (!(await deps.claims.close(claim.replyTo))) return;
  const { room, replyTo, answerId } = claim;
  try {
    await deps.bus.publish({
      v: 1,
      room,
      frame: { type: 'ai', state: 'error', id: answerId, room, replyTo, ...BOT_FAILURES.interrupted, text: '', ts: now },
    });
  } catch (error) {
    await deps.claims.reopen(replyTo).catch((reopenError: unknown) => logger.error('Could not reopen a claim', { reopenError, room, answerId }));
    throw error;
  }
  logger.warn('Closed an answer that was cut short', { room, answerId, replyTo, claimedAt: claim.claimedAt });
}
