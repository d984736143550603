import { AllTargetsFailedError } from './all-targets-failed-error';
import type { ChainEvent, FallbackOptions, TargetFailure } from './chain-types';
import { INFERENCE_DEFAULTS } from './constants';
import { openTarget } from './open-target';
import { retryDelayMs } from './retry-delay';
import { sleep } from './sleep';
import type { InferenceRequest, InferenceTarget } from './types';

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * Streams the answer of the first target in `targets` that gives a first part.
 *
 * - A target answering `throttled` is retried after an exponential backoff with jitter (`throttleRetries` times)
 *   before the chain falls over to the next one; one whose connection dropped is retried once at once (see
 *   retryDelayMs).
 * - A target that fails before its first part, or gives none within `firstTokenTimeoutMs` (it is then aborted), is
 *   replaced by the next one.
 * - The first part commits the chain to that target: `start` names it, its parts follow, and a later failure is
 *   thrown to the caller (who has the partial text); an answer is never silently restarted elsewhere.
 * - When every target failed before a first part, an AllTargetsFailedError lists why, target by target.
 * - Aborting `request.signal` stops everything and throws its reason. Stopping the iteration stops the target.
 * Errors that are not InferenceErrors (bugs) are thrown at once rather than hidden by a fall-over.
 */
export async function* streamWithFallback(
  targets: readonly InferenceTarget[],
  request: InferenceRequest,
  options: FallbackOptions = {},
): AsyncGenerator<ChainEvent> {
  const firstTokenTimeoutMs = nonNegativeInteger(
    'firstTokenTimeoutMs',
    options.firstTokenTimeoutMs ?? INFERENCE_DEFAULTS.firstTokenTimeoutMs,
  );
  const throttleRetries = nonNegativeInteger('throttleRetries', options.throttleRetries ?? INFERENCE_DEFAULTS.throttleRetries);
  const backoffBaseMs = nonNegativeInteger('backoffBaseMs', options.backoffBaseMs ?? INFERENCE_DEFAULTS.backoffBaseMs);
  const failures: TargetFailure[] = [];

  for (const target of targets) {
    for (let attempt = 1; ; attempt++) {
      const opened = await openTarget(target, request, firstTokenTimeoutMs);
      if (opened.ok) {
        let finished = false;
        try {
          yield { type: 'start', target: target.name, model: target.model };
          yield opened.first;
          for (let part = await opened.iterator.next(); !part.done; part = await opened.iterator.next()) {
            yield part.value;
          }
          finished = true;
        } finally {
          if (finished) opened.release();
          else await opened.close(new Error('The answer stream was stopped'));
        }
        return;
      }
      const failure = { target: target.name, model: target.model, error: opened.error, attempts: attempt };
      options.onFailure?.(failure);
      const delayMs = retryDelayMs(opened.error, attempt, { throttleRetries, backoffBaseMs, random: options.random });
      if (delayMs !== undefined) {
        await sleep(delayMs, request.signal);
        continue;
      }
      failures.push(failure);
      break;
    }
  }
  throw new AllTargetsFailedError(failures);
}
