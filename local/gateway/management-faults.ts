/** What API Gateway's @connections API answers in each failure it can be told to inject (status, error type). */
export const MANAGEMENT_FAULTS = {
  /** A server-side failure: the SDK retries it, then fanout reports the room for a retry. */
  internal: { status: 500, errorType: 'InternalServerErrorException' },
  /** The connection is not there (or its $connect has not returned yet). */
  gone: { status: 410, errorType: 'GoneException' },
  /** The account's PostToConnection rate is exceeded. */
  throttled: { status: 429, errorType: 'LimitExceededException' },
} as const;
export type ManagementFaultKind = keyof typeof MANAGEMENT_FAULTS;
export interface ManagementFault {
  status: number;
  errorType: string;
}

interface ActiveFault {
  fault: ManagementFault;
  /** Posts still to fail; undefined: until cleared. */
  remaining: number | undefined;
}

/**
 * Failures the local @connections API can be told to answer for chosen connections (tests only), so tests can
 * exercise how fanout handles a throttled or failing API Gateway, which AWS does not let you provoke on demand.
 * Nothing sets any by default. Each fault answers exactly as API Gateway does (status, `x-amzn-errortype`, body), so
 * the SDK raises the same exception.
 */
export class ManagementFaults {
  private readonly failing = new Map<string, ActiveFault>();
  private readonly injected = new Map<string, number>();

  /**
   * POSTs to `connectionId` (`'*'`: every connection) answer `kind` until cleared, or only the next `times` of them.
   * Posts to a closed or unknown connection answer 410 as ever.
   */
  public failPostsTo(connectionId: string, kind?: ManagementFaultKind, options?: { times?: number }): void;
  /** Until cleared, POSTs answer `status` with `errorType` (e.g. 429 LimitExceededException). */
  public failPostsTo(connectionId: string, status: number, errorType: string): void;
  public failPostsTo(connectionId: string, kind: ManagementFaultKind | number = 'internal', options: { times?: number } | string = {}): void {
    const fault = typeof kind === 'number' ? { status: kind, errorType: String(options) } : MANAGEMENT_FAULTS[kind];
    this.failing.set(connectionId, { fault, remaining: typeof options === 'string' ? undefined : options.times });
  }

  /** `'*'` clears every fault. */
  public clear(connectionId: string): void {
    if (connectionId === '*') this.failing.clear();
    else this.failing.delete(connectionId);
  }

  /** How many posts to `connectionId` were answered with an injected fault so far. */
  public injectedFor(connectionId: string): number {
    return this.injected.get(connectionId) ?? 0;
  }

  /** The fault this POST answers, if any; counts it. */
  public postFaultFor(connectionId: string): ManagementFault | undefined {
    const key = this.failing.has(connectionId) ? connectionId : '*';
    const active = this.failing.get(key);
    if (!active) return undefined;
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.failing.delete(key);
    }
    this.injected.set(connectionId, this.injectedFor(connectionId) + 1);
    return active.fault;
  }
}
