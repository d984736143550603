import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { readSettings } from '../../contract/read-settings';
import { FUNCTIONS } from '../../contract/topology';
import { logger } from '../shared/logger';
import { flushMetrics } from '../shared/metrics';
import type { BotDeps } from './answer-room';
import { answerBatch } from './answer-batch';
import { createBotDeps } from './create-bot-deps';

const settings = readSettings(process.env, FUNCTIONS.bot.settings);
let deps: Promise<BotDeps> | undefined;

/**
 * Consumes people's messages (the event source filter lets only `user` frames through) and answers each room with
 * one streamed answer at a time, each question exactly once (answer-batch.ts).
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  deps ??= createBotDeps(settings);
  const ready = await deps.catch((error: unknown) => {
    deps = undefined;
    throw error;
  });
  return answerBatch(event.Records, ready).finally(flushMetrics);
}
