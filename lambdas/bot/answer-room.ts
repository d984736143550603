import type { EventBus } from '../shared/event-bus';
import type { HistoryStore } from '../shared/history-store';
import { newMessageId } from '../shared/ids';
import { logger } from '../shared/logger';
import { recordMetric } from '../shared/metrics';
import type { TargetName, Usage, UserFrame } from '../../contract/protocol';
import { toSources } from '../shared/retrieval/to-sources';
import type { AnswerBudget } from './answer-budget';
import { AnswerPublisher } from './answer-publisher';
import type { BotConfig } from './bot-config';
import { buildPrompt } from './build-prompt';
import type { ContextRetriever } from './context-retriever';
import { DeltaCoalescer } from './delta-coalescer';
import { describeFailure } from './describe-failure';
import { streamWithFallback } from './inference/fallback-chain';
import type { InferenceTarget } from './inference/types';

export interface BotDeps {
  config: BotConfig;
  targets: InferenceTarget[];
  history: HistoryStore;
  bus: EventBus;
  budget: AnswerBudget;
  retriever: ContextRetriever;
}

/** Messages of conversation the prompt looks back on. */
const HISTORY_MESSAGES = 20;
/** A rough ceiling on characters per token, to stop a runaway stream even if a target ignores maxOutputTokens. */
const CHARS_PER_TOKEN_CEILING = 8;

/**
 * Answers a room's pending questions (one or more in a row) with one streamed answer, or tells the room the bot is
 * over budget. Every outcome is visible: an answer, an `ai` error with what was streamed, or a notice.
 */
export async function answerRoom(room: string, questions: readonly UserFrame[], deps: BotDeps): Promise<void> {
  const first = questions[0];
  const last = questions.at(-1);
  if (!first || !last) return;
  const verdict = await deps.budget.take(room);
  if (verdict !== 'granted') {
    recordMetric('budgetExhausted');
    return notifyOverBudget(room, verdict, deps);
  }

  const [earlier, retrieved] = await Promise.all([
    deps.history.page(room, HISTORY_MESSAGES, first.id),
    deps.retriever.retrieve(last.text, questions.map((question) => question.text).join('\n')).catch((error: unknown) => {
      logger.warn('Retrieval failed; answering without passages', { error, room });
      return { passages: [] };
    }),
  ]);
  const { config } = deps;
  const prompt = buildPrompt(config.systemPrompt, earlier.messages, questions, retrieved.passages);
  const publisher = new AnswerPublisher(deps.bus, newMessageId(), room, last.id);
  const coalescer = new DeltaCoalescer(config.deltaWindowMs, config.deltaMaxChars, (text) => publisher.delta(text));
  const abort = new AbortController();
  const maxChars = config.maxOutputTokens * CHARS_PER_TOKEN_CEILING;
  let answering: { target: TargetName; model: string } | undefined;
  let firstTokenAt: number | undefined;
  let usage: Usage | undefined;
  let stopReason: string | undefined;
  let length = 0;

  try {
    const request = { ...prompt, maxOutputTokens: config.maxOutputTokens, signal: abort.signal };
    const stream = streamWithFallback(deps.targets, request, {
      firstTokenTimeoutMs: config.firstTokenTimeoutMs,
      onFailure: ({ target, error, attempts }) => {
        recordMetric('fallbacks', 1, target);
        logger.warn('Inference target failed', { room, target, code: error.code, attempts });
      },
    });
    for await (const event of stream) {
      if (event.type === 'start') {
        answering = { target: event.target, model: event.model };
        publisher.start(event.target, event.model);
      } else if (event.type === 'text-delta') {
        firstTokenAt ??= Date.now();
        coalescer.push(event.text);
        length += event.text.length;
        if (length >= maxChars) {
          stopReason = 'max_length';
          abort.abort(new Error('The answer reached its maximum length'));
          break;
        }
      } else {
        usage = event.usage;
        stopReason ??= event.stopReason;
      }
    }
    coalescer.flush();
    if (!answering) throw new Error('The inference chain ended without naming who answered');
    await publisher.end({
      ...answering,
      usage,
      stopReason,
      firstTokenMs: (firstTokenAt ?? Date.now()) - last.ts,
      sources: toSources(retrieved.passages),
    });
    recordMetric('answers', 1, answering.target);
    if (firstTokenAt !== undefined) recordMetric('firstTokenLatency', firstTokenAt - last.ts);
  } catch (error) {
    coalescer.flush();
    const failure = describeFailure(error);
    recordMetric('answersFailed');
    logger.warn('Answer failed', { room, code: failure.code, error });
    await publisher.error({ ...failure, ...answering });
  }
}

async function notifyOverBudget(room: string, verdict: 'room' | 'overall', deps: BotDeps): Promise<void> {
  if (!(await deps.budget.firstNotice(room))) return;
  const text =
    verdict === 'room'
      ? `The bot answers at most ${deps.config.answersPerRoomPerMinute} messages a minute in this room; it will answer again in a moment.`
      : 'The bot is very busy across all rooms right now; it will answer again in a moment.';
  await deps.bus.publish({ v: 1, room, frame: { type: 'system', room, event: 'notice', text, online: 0 } });
}
