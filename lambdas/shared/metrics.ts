import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS, METRICS_NAMESPACE, type MetricName } from '../../contract/metrics';

/**
 * The function's metrics (contract/metrics.ts), written as CloudWatch EMF lines on stdout: no API call, so the same
 * code runs locally. Service name (the `service` dimension) from POWERTOOLS_SERVICE_NAME; POWERTOOLS_METRICS_DISABLED
 * turns the lines off (`npm start` does by default).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

/**
 * The one single-metric writer, reused: `singleMetric()` builds a whole Metrics object (about 60 µs), and a flooding
 * client is refused (and counted) thousands of times. It clears its dimensions after every line it writes.
 */
let single: Metrics | undefined;

/** Adds `value` to the metric for this invocation; a metric with a dimension is written at once with its value. */
export function recordMetric(metric: MetricName, value = 1, dimensionValue?: string): void {
  const spec = METRICS[metric];
  if (value === 0) return;
  if ('dimension' in spec && dimensionValue !== undefined) {
    single ??= metrics.singleMetric();
    single.addDimension(spec.dimension, dimensionValue);
    single.addMetric(spec.name, spec.unit, value);
    return;
  }
  metrics.addMetric(spec.name, spec.unit, value);
}

/** Writes what the invocation recorded (nothing, and no warning, when it recorded nothing). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
