import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import type { InferenceRequest, InferenceTarget, StreamPart } from './types';

/** A target that gave its first part; the rest comes from `iterator`. */
export interface OpenedTarget {
  ok: true;
  first: StreamPart;
  iterator: AsyncIterator<StreamPart>;
  /** Once the target finished: unlinks it from the request's signal. */
  release(): void;
  /** When the rest is not wanted: stops the target (aborting its signal with `reason`) and unlinks it. */
  close(reason: unknown): Promise<void>;
}

export type OpenOutcome = OpenedTarget | { ok: false; error: InferenceError };

/**
 * Starts `target` and waits for its first part, at most `firstTokenTimeoutMs`. The target gets its own AbortSignal,
 * aborted whenever the request's is. On timeout it is aborted with a `timeout` InferenceError as the reason and left
 * to wind down in the background, so a target that ignores its signal cannot hold the chain up.
 * An InferenceError before the first part comes back as a failure; the request's own abort reason, and any other
 * error (a bug in a target), is thrown.
 */
export async function openTarget(
  target: InferenceTarget,
  request: InferenceRequest,
  firstTokenTimeoutMs: number,
): Promise<OpenOutcome> {
  if (request.signal.aborted) throw request.signal.reason;
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort(request.signal.reason);
  request.signal.addEventListener('abort', forwardAbort, { once: true });
  const release = (): void => request.signal.removeEventListener('abort', forwardAbort);

  let iterator: AsyncIterator<StreamPart>;
  let next: Promise<IteratorResult<StreamPart>>;
  try {
    iterator = target.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
    next = iterator.next();
  } catch (error) {
    release();
    throw error;
  }
  // If we stop waiting for it, its late rejection is expected and must not surface as unhandled.
  next.catch(() => undefined);
  const close = async (reason: unknown): Promise<void> => {
    release();
    controller.abort(reason);
    // The target may throw as it stops; nobody is waiting for its answer any more.
    await iterator.return?.().catch(() => undefined);
  };

  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<'timeout' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), firstTokenTimeoutMs);
    controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    const first = await Promise.race([next, stopped]);
    if (first === 'aborted') {
      void close(request.signal.reason);
      throw request.signal.reason;
    }
    if (first === 'timeout') {
      const error = new InferenceError(
        INFERENCE_ERROR_CODES.timeout,
        `${target.name} gave no first token within ${firstTokenTimeoutMs} ms`,
      );
      void close(error);
      return { ok: false, error };
    }
    if (first.done) {
      release();
      return { ok: false, error: new InferenceError(INFERENCE_ERROR_CODES.modelError, `${target.name} ended without answering`) };
    }
    return { ok: true, first: first.value, iterator, release, close };
  } catch (error) {
    release();
    if (request.signal.aborted) throw request.signal.reason;
    if (error instanceof InferenceError) return { ok: false, error };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
