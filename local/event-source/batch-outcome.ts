/** What one invocation said about its batch, in Lambda's terms; `requestId` names the invocation that said it. */
export type BatchOutcome = (
  | { kind: 'success' }
  /** Records before the first failed one are done; Lambda retries from it. */
  | { kind: 'partial'; failedIndex: number }
  /**
   * The whole batch failed: the function errored, timed out or crashed (`functionError`, Lambda's "Unhandled"), or it
   * returned a response Lambda cannot use.
   */
  | { kind: 'error'; error: string; functionError: boolean }
) & { requestId?: string };

/**
 * Reads a handler's response the way Lambda does with ReportBatchItemFailures: the lowest reported sequence number
 * is the retry point; an empty or null list is success; an identifier not in the batch fails the whole batch.
 */
export function readBatchOutcome(
  response: unknown,
  sequenceNumbers: readonly string[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!reportBatchItemFailures || response === null || response === undefined) return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'error', error: 'batchItemFailures is not a list', functionError: false };
  if (failures.length === 0) return { kind: 'success' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof identifier === 'string' ? sequenceNumbers.indexOf(identifier) : -1;
    if (index < 0) return { kind: 'error', error: `batchItemFailures names ${String(identifier)}, not in the batch`, functionError: false };
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', failedIndex: lowest };
}
