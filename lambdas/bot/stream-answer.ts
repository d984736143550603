import { STOPPED_BY_ASKER, type TargetName, type Usage, type UserFrame } from '../../contract/protocol';
import { logger } from '../shared/logger';
import { withoutMentions } from '../shared/without-mentions';
import { recordMetric } from '../shared/metrics';
import { toSources } from '../shared/retrieval/to-sources';
import type { BotDeps } from './answer-room';
import { AnswerPublisher } from './answer-publisher';
import { buildPrompt } from './build-prompt';
import { DeltaCoalescer } from './delta-coalescer';
import { describeFailure } from './describe-failure';
import { streamWithFallback } from './inference/fallback-chain';
import { StopWatch } from './stop-watch';

/** Messages of conversation the prompt looks back on. */
const HISTORY_MESSAGES = 20;
/** A rough ceiling on characters per token, to stop a runaway stream even if a target ignores maxOutputTokens. */
const CHARS_PER_TOKEN_CEILING = 8;
/** How often a streaming answer reads whether its asker asked to stop it: the stop lands within about this plus a read. */
export const STOP_POLL_MS = 250;

/** Why the inference stream was aborted when the asker stopped the answer (not a failure). */
class StoppedByAsker extends Error {
  public constructor() {
    super('The asker stopped the answer');
    this.name = 'StoppedByAsker';
  }
}

/**
 * Streams one answer (id `answerId`) to `questions`, replying to the last of them: `start`, deltas, then `end`, or an
 * `ai` `error` with what was streamed. The error frame carries only a public code and sentence; why it failed is
 * logged with the room, answer id and target. Resolves true when the answer ended, false when it failed; rejects
 * only when its frames could not be published.
 */
export async function streamAnswer(room: string, questions: readonly UserFrame[], answerId: string, deps: BotDeps): Promise<boolean> {
  const first = questions[0];
  const last = questions.at(-1);
  if (!first || !last) return false;
  const [earlier, retrieved] = await Promise.all([
    deps.history.page(room, HISTORY_MESSAGES, first.id),
    deps.retriever.retrieve(withoutMentions(last.text), questions.map((question) => withoutMentions(question.text)).join('\n')).catch((error: unknown) => {
      logger.warn('Retrieval failed; answering without passages', { error, room });
      return { passages: [] };
    }),
  ]);
  const { config } = deps;
  const prompt = buildPrompt(config.systemPrompt, earlier.messages, questions, retrieved.passages);
  const publisher = new AnswerPublisher(deps.bus, answerId, room, last.id);
  const coalescer = new DeltaCoalescer(config.deltaWindowMs, config.deltaMaxChars, (text) => publisher.delta(text));
  const abort = new AbortController();
  const maxChars = config.maxOutputTokens * CHARS_PER_TOKEN_CEILING;
  let answering: { target: TargetName; model: string } | undefined;
  let firstTokenAt: number | undefined;
  let usage: Usage | undefined;
  let stopReason: string | undefined;
  let length = 0;
  const stopWatch = new StopWatch(
    () => deps.claims.stopRequested(last.id),
    deps.stopPollMs ?? STOP_POLL_MS,
    () => abort.abort(new StoppedByAsker()),
    (error) => logger.warn('Could not read whether the answer was stopped', { room, answerId, error }),
  );

  try {
    const request = { ...prompt, maxOutputTokens: config.maxOutputTokens, signal: abort.signal };
    const stream = streamWithFallback(deps.targets, request, {
      firstTokenTimeoutMs: config.firstTokenTimeoutMs,
      onFailure: ({ target, error, attempts }) => {
        recordMetric('fallbacks', 1, target);
        logger.warn('Inference target failed', { room, answerId, target, code: error.code, attempts, error });
      },
    });
    try {
      for await (const event of stream) {
        if (stopWatch.stopped) break;
        if (event.type === 'start') {
          answering = { target: event.target, model: event.model };
          publisher.start(event.target, event.model);
          stopWatch.start();
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
    } catch (error) {
      // The stop aborts the target, which throws the abort's reason: the answer ends, it did not fail.
      if (!stopWatch.stopped) throw error;
    } finally {
      stopWatch.dispose();
    }
    if (stopWatch.stopped) {
      stopReason = STOPPED_BY_ASKER;
      usage = undefined;
      logger.info('The asker stopped the answer', { room, answerId, replyTo: last.id });
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
    return true;
  } catch (error) {
    coalescer.flush();
    const failure = describeFailure(error, answering !== undefined);
    recordMetric('answersFailed');
    // The details (upstream status and body, addresses, error codes) are for operators only.
    logger.warn('Answer failed', { room, answerId, replyTo: last.id, ...answering, code: failure.code, error });
    await publisher.error({ ...failure, ...answering });
    return false;
  }
}
