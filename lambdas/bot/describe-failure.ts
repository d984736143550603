import { AllTargetsFailedError } from './inference/all-targets-failed-error';

/**
 * What an answer's failure says in public: a stable code and a plain sentence, the same for everyone in the room and
 * kept in history. Why it failed (upstream bodies, addresses, error codes) goes to the logs only.
 */
export const BOT_FAILURES = {
  /** No target could start an answer. */
  unavailable: { code: 'unavailable', message: 'The bot could not answer right now.' },
  /** The answer stopped part-way: the model failed mid-stream, or the bot stopped or restarted while it streamed. */
  interrupted: { code: 'interrupted', message: 'The bot could not finish this answer.' },
  /** Anything else (a bug). */
  internal: { code: 'internal', message: 'The bot could not answer right now.' },
} as const;

export type BotFailure = (typeof BOT_FAILURES)[keyof typeof BOT_FAILURES];

/** The public failure for an error thrown while answering; `started` says whether any of the answer had streamed. */
export function describeFailure(error: unknown, started: boolean): BotFailure {
  if (error instanceof AllTargetsFailedError) return BOT_FAILURES.unavailable;
  if (started) return BOT_FAILURES.interrupted;
  return BOT_FAILURES.internal;
}
