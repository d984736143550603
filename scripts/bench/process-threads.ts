import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) of every thread of this process so far, by thread id, from /proc/self/task (Linux; empty elsewhere).
 * Two readings a phase apart say which thread was busy: one near 100% of a core is what holds the others back.
 */
export function threadCpuByTid(): Record<string, number> {
  const times: Record<string, number> = {};
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times[tid] = (Number(fields[11]) + Number(fields[12])) * 10;
    }
  } catch {
    // Not Linux, or the thread ended while being read: what was read is still worth reporting.
  }
  return times;
}

/**
 * The busiest threads between two readings, as "% of one core", the main thread (`mainTid`, the process id) named
 * `gateway`; the others are function workers, dynalite, kinesalite and Node's own, by thread id.
 */
export function busiestThreads(before: Record<string, number>, after: Record<string, number>, wallMs: number, mainTid: number, count = 4): string {
  return Object.entries(after)
    .map(([tid, ms]) => ({ name: tid === String(mainTid) ? 'gateway' : `thread ${tid}`, share: (ms - (before[tid] ?? 0)) / Math.max(1, wallMs) }))
    .sort((a, b) => b.share - a.share)
    .slice(0, count)
    .map(({ name, share }) => `${name} ${(share * 100).toFixed(0)}%`)
    .join(', ');
}
