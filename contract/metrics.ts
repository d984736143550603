/**
 * The functions' own CloudWatch metrics, written once: the functions emit them (Powertools Metrics, EMF lines on
 * stdout, lambdas/shared/metrics.ts) and the stack alarms on and charts them (lib/chat-alarms.ts,
 * lib/chat-dashboard.ts), so a name cannot differ between the two. Every metric carries the dimension `service`
 * (the function's Powertools service name, `serviceNameOf`); a metric with `dimension` carries that one too.
 */
import type { FunctionName } from './topology';

export const METRICS_NAMESPACE = 'ServerlessChat';

/** The Powertools service name of a function: its POWERTOOLS_SERVICE_NAME and its metrics' `service` dimension. */
export function serviceNameOf(name: string): string {
  return `chat-${name}`;
}

export interface MetricSpec {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly emittedBy: FunctionName;
  /** A second dimension, when the metric is split (`target`: which inference target). */
  readonly dimension?: string;
}

export const METRICS = {
  /** Chat messages admitted and put on the stream (sendMessage). */
  messagesAccepted: {
    name: 'MessagesAccepted',
    unit: 'Count',
    emittedBy: 'message',
  },
  /** Frames refused with rate_limited, by bucket (messages, drafts). */
  rateLimited: {
    name: 'RateLimited',
    unit: 'Count',
    emittedBy: 'message',
    dimension: 'bucket',
  },
  /** PostToConnection calls made (one WebSocket message per member per batch). */
  posts: {
    name: 'Posts',
    unit: 'Count',
    emittedBy: 'fanout',
  },
  /** Members a post failed for (other than gone): throttled or unavailable @connections calls. */
  postFailures: {
    name: 'PostFailures',
    unit: 'Count',
    emittedBy: 'fanout',
  },
  /** Members API Gateway answered 410 Gone for (closed without a $disconnect seen yet). */
  goneConnections: {
    name: 'GoneConnections',
    unit: 'Count',
    emittedBy: 'fanout',
  },
  /** Answers the bot finished, by the inference target that gave them. */
  answers: {
    name: 'Answers',
    unit: 'Count',
    emittedBy: 'bot',
    dimension: 'target',
  },
  /** Answers that ended in an ai error frame (every target failed, or the answering one broke off). */
  answersFailed: {
    name: 'AnswersFailed',
    unit: 'Count',
    emittedBy: 'bot',
  },
  /**
   * Attempts of an inference target that failed before a first token, by target (retried, or the chain fell over to
   * the next).
   */
  fallbacks: {
    name: 'Fallbacks',
    unit: 'Count',
    emittedBy: 'bot',
    dimension: 'target',
  },
  /** From the question's arrival to the answer's first token. */
  firstTokenLatency: {
    name: 'AnswerFirstTokenLatency',
    unit: 'Milliseconds',
    emittedBy: 'bot',
  },
  /** Questions left unanswered because a room or the whole bot was over its answers-per-minute budget. */
  budgetExhausted: {
    name: 'BudgetExhausted',
    unit: 'Count',
    emittedBy: 'bot',
  },
} as const satisfies Record<string, MetricSpec>;
export type MetricName = keyof typeof METRICS;
