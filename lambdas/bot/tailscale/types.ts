/** Events the Extensions API hands an extension from `/extension/event/next`. */
export type ExtensionEvent = InvokeEvent | ShutdownEvent;

export interface InvokeEvent {
  readonly eventType: 'INVOKE';
  readonly requestId: string;
  readonly deadlineMs: number;
}

export interface ShutdownEvent {
  readonly eventType: 'SHUTDOWN';
  /** `spindown`, `timeout` or `failure`. */
  readonly shutdownReason: string;
  /** Epoch milliseconds by which every extension must have exited. */
  readonly deadlineMs: number;
}

export type ExtensionEventType = ExtensionEvent['eventType'];

/** One line to the function's log. */
export type Log = (line: string) => void;
