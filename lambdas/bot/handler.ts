import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { readSettings } from '../../contract/read-settings';
import { FUNCTIONS } from '../../contract/topology';
import { logger } from '../shared/logger';
import { flushMetrics } from '../shared/metrics';
import { answerRoom, type BotDeps } from './answer-room';
import { createBotDeps } from './create-bot-deps';
import { groupQuestions } from './group-questions';

const settings = readSettings(process.env, FUNCTIONS.bot.settings);
let deps: Promise<BotDeps> | undefined;

/**
 * Consumes people's messages (the event source filter lets only `user` frames through) and answers each room with
 * one streamed answer at a time. Rooms in a batch are answered in parallel; a room's questions in order, together.
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  deps ??= createBotDeps(settings);
  const ready = await deps.catch((error: unknown) => {
    deps = undefined;
    throw error;
  });
  const failures: string[] = [];
  await Promise.all(
    [...groupQuestions(event.Records)].map(async ([room, { questions, firstSequenceNumber }]) => {
      try {
        await answerRoom(room, questions, ready);
      } catch (error) {
        // Only publishing itself failed (an answer's own failure is published as an ai error): retry the room.
        logger.error('Could not publish the answer; the questions will be retried', { error, room });
        failures.push(firstSequenceNumber);
      }
    }),
  ).finally(flushMetrics);
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}
