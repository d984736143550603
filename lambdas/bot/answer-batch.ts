import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { answerRoom, type BotDeps } from './answer-room';
import { closeAnswer } from './close-answer';
import { groupQuestions } from './group-questions';

/** How long after an invocation's timeout an answer it left open is closed by another (clock skew, slow ends). */
const ABANDONED_AFTER_TIMEOUT_MS = 60_000;

/**
 * Answers a batch: first closes answers that earlier invocations left open past their timeout (their records may
 * never come back: too old, or retries spent), then answers the rooms in parallel, each room's questions in order.
 *
 * A room that could not be handled is reported at its first record. Lambda retries the lane from the lowest reported
 * record, so rooms after it in the batch come again too: their questions are claimed already and are skipped, never
 * answered twice.
 */
export async function answerBatch(records: readonly KinesisStreamRecord[], deps: BotDeps): Promise<KinesisStreamBatchResponse> {
  const now = (deps.now ?? Date.now)();
  await closeAbandoned(deps, now).catch((error: unknown) => logger.error('Could not close abandoned answers', { error }));
  const failures: string[] = [];
  await Promise.all(
    [...groupQuestions(records)].map(async ([room, { questions, firstSequenceNumber }]) => {
      try {
        await answerRoom(room, questions, deps);
      } catch (error) {
        logger.error('Could not handle the room; its questions will be retried', { error, room });
        failures.push(firstSequenceNumber);
      }
    }),
  );
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

async function closeAbandoned(deps: BotDeps, now: number): Promise<void> {
  const abandoned = await deps.claims.abandoned(now - deps.config.timeoutMs - ABANDONED_AFTER_TIMEOUT_MS);
  for (const claim of abandoned) await closeAnswer(claim, deps, now);
}
