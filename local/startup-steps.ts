import { performance } from 'node:perf_hooks';

/** Wide enough for the longest step name, so the times line up. */
const LABEL_WIDTH = 36;

export type Step = <T>(label: string | ((result: T) => string), work: Promise<T>) => Promise<T>;

/**
 * Reports start-up as it happens: each step logs one line with its own duration when it ends (steps started
 * together, with Promise.all, are each timed from that start).
 */
export function startupSteps(log: (line: string) => void): Step {
  return async (label, work) => {
    const started = performance.now();
    const result = await work;
    const name = typeof label === 'string' ? label : label(result);
    log(`  ${name.padEnd(LABEL_WIDTH)} ${formatSeconds(performance.now() - started)}`);
    return result;
  };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
