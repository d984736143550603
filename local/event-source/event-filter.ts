import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { FilterPattern } from '../../contract';

/**
 * Lambda event filtering for Kinesis records: a pattern is matched against the record with its `data` decoded as
 * JSON (a record whose data is not JSON can only match patterns that do not look into `data`). A record passes if
 * any pattern matches; with no patterns, every record passes. Only exact-value lists are supported (all the topology
 * uses); anything else is refused loudly rather than evaluated differently from AWS.
 */
export function passesFilters(record: KinesisRecord, patterns: readonly FilterPattern[]): boolean {
  if (patterns.length === 0) return true;
  const subject = { partitionKey: record.PartitionKey, sequenceNumber: record.SequenceNumber, data: decodeData(record) };
  return patterns.some((pattern) => matches(pattern, subject));
}

function decodeData(record: KinesisRecord): unknown {
  try {
    return JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
  } catch {
    return undefined;
  }
}

function matches(pattern: FilterPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown>)[key];
    if (!Array.isArray(expected)) return matches(expected as FilterPattern, actual);
    for (const option of expected) {
      if (typeof option === 'object' && option !== null) {
        throw new Error(`Filter operator ${JSON.stringify(option)} is not supported by the local runtime`);
      }
    }
    const candidates = Array.isArray(actual) ? actual : [actual];
    return candidates.some((candidate) => (expected as unknown[]).includes(candidate));
  });
}
