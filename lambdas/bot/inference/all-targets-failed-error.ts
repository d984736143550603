import type { TargetFailure } from './chain-types';

/** Every target of the chain failed before giving a first part; `failures` says why, target by target, in order. */
export class AllTargetsFailedError extends Error {
  public readonly code = 'all_targets_failed' as const;

  public constructor(public readonly failures: readonly TargetFailure[]) {
    super(
      failures.length === 0
        ? 'No inference target is configured'
        : failures.map(({ target, error }) => `${target} ${error.code}: ${error.message}`).join('; '),
    );
    this.name = 'AllTargetsFailedError';
  }
}
