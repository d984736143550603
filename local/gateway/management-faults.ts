/**
 * Failures the local @connections API can be told to answer for chosen connections, so tests can exercise how
 * fanout handles a throttled or failing API Gateway (which AWS does not let you provoke on demand). Nothing sets
 * any by default.
 */
export class ManagementFaults {
  private readonly failing = new Map<string, { status: number; errorType: string }>();

  /** Every POST to `connectionId` answers `status` (e.g. 500 InternalServerErrorException) until cleared. */
  public failPostsTo(connectionId: string, status = 500, errorType = 'InternalServerErrorException'): void {
    this.failing.set(connectionId, { status, errorType });
  }

  /** `'*'` clears every fault. */
  public clear(connectionId: string): void {
    if (connectionId === '*') this.failing.clear();
    else this.failing.delete(connectionId);
  }

  public postFaultFor(connectionId: string): { status: number; errorType: string } | undefined {
    return this.failing.get(connectionId);
  }
}
