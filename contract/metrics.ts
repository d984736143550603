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
  readonly description: string;
}

export const METRICS = {
  messagesAccepted: {
    name: 'MessagesAccepted',
    unit: 'Count',
    emittedBy: 'message',
    description: 'Chat messages admitted and put on the stream (sendMessage).',
  },
  rateLimited: {
    name: 'RateLimited',
    unit: 'Count',
    emittedBy: 'message',
    dimension: 'bucket',
    description: 'Frames refused with rate_limited, by bucket (messages, drafts).',
  },
  posts: {
    name: 'Posts',
    unit: 'Count',
    emittedBy: 'fanout',
    description: 'PostToConnection calls made (one WebSocket message per member per batch).',
  },
  postFailures: {
    name: 'PostFailures',
    unit: 'Count',
    emittedBy: 'fanout',
    description: 'Members a post failed for (other than gone): throttled or unavailable @connections calls.',
  },
  goneConnections: {
    name: 'GoneConnections',
    unit: 'Count',
    emittedBy: 'fanout',
    description: 'Members API Gateway answered 410 Gone for (closed without a $disconnect seen yet).',
  },
  answers: {
    name: 'Answers',
    unit: 'Count',
    emittedBy: 'bot',
    dimension: 'target',
    description: 'Answers the bot finished, by the inference target that gave them.',
  },
  answersFailed: {
    name: 'AnswersFailed',
    unit: 'Count',
    emittedBy: 'bot',
    description: 'Answers that ended in an ai error frame (every target failed, or the answering one broke off).',
  },
  fallbacks: {
    name: 'Fallbacks',
    unit: 'Count',
    emittedBy: 'bot',
    dimension: 'target',
    description: 'Attempts of an inference target that failed before a first token, by target (retried, or the chain fell over to the next).',
  },
  firstTokenLatency: {
    name: 'AnswerFirstTokenLatency',
    unit: 'Milliseconds',
    emittedBy: 'bot',
    description: "From the question's arrival to the answer's first token.",
  },
  budgetExhausted: {
    name: 'BudgetExhausted',
    unit: 'Count',
    emittedBy: 'bot',
    description: 'Questions left unanswered because a room or the whole bot was over its answers-per-minute budget.',
  },
} as const satisfies Record<string, MetricSpec>;
export type MetricName = keyof typeof METRICS;
