import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) of the calling thread in milliseconds, from /proc/thread-self/stat (Linux; 10 ms
 * resolution); undefined elsewhere. Unlike wall time it does not grow when other processes take the cores.
 */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted after the command name, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
