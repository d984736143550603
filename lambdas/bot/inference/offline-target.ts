import { abortReason } from './abort-reason';
import { INFERENCE_DEFAULTS } from './constants';
import { composeOfflineAnswer } from './offline-answer';
import { sleep } from './sleep';
import type { InferenceRequest, InferenceTarget, StreamPart } from './types';

export interface OfflineTargetProps {
  /** Pause between word-sized deltas, in milliseconds; 0 streams at once. @default INFERENCE_DEFAULTS.offlineDelayMs */
  readonly delayMs?: number;
}

/** A rough token count (about four characters per token), for usage and the output limit. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The target that needs no network and no model: it says it is offline and quotes the retrieved passages (see
 * composeOfflineAnswer). It streams like a real target, word by word with a small pause, so clients see the answer
 * grow, and stops at `maxOutputTokens` (estimated) like a model would.
 */
export class OfflineTarget implements InferenceTarget {
  public readonly name = 'offline' as const;
  public readonly model = 'offline-extractive';
  private readonly delayMs: number;

  public constructor(props: OfflineTargetProps = {}) {
    const delayMs = props.delayMs ?? INFERENCE_DEFAULTS.offlineDelayMs;
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw new TypeError(`offline delayMs must be a non-negative number, got ${delayMs}`);
    }
    this.delayMs = delayMs;
  }

  public async *stream(request: InferenceRequest): AsyncGenerator<StreamPart> {
    const { signal } = request;
    const answer = composeOfflineAnswer(request.system, request.messages);
    const prompt = [request.system, ...request.messages.map((turn) => turn.content)].join('\n');
    // Each word keeps the whitespace that follows it, so the deltas concatenate to the answer exactly.
    const words = answer.split(/(?<=\s)(?=\S)/);
    let sent = '';
    let stopReason = 'end_turn';
    for (const [index, word] of words.entries()) {
      if (estimateTokens(sent + word) > request.maxOutputTokens) {
        stopReason = 'max_tokens';
        break;
      }
      if (index > 0 && this.delayMs > 0) await sleep(this.delayMs, signal);
      if (signal.aborted) throw abortReason(signal);
      sent += word;
      yield { type: 'text-delta', text: word };
    }
    yield {
      type: 'finish',
      stopReason,
      usage: { inputTokens: estimateTokens(prompt), outputTokens: estimateTokens(sent) },
    };
  }
}
