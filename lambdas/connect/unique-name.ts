import { LIMITS } from '../shared/protocol/limits';
import { codePointLength } from '../shared/protocol/text';

/** How names are compared: case-insensitively, after compatibility folding ("ＡＮＮ" is "ann"). */
export function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/**
 * `name` if nobody in `taken` has it, else the first free "name 2", "name 3", ... (the name shortened to keep it
 * within LIMITS.nameMaxLength).
 */
export function uniqueName(name: string, taken: readonly string[]): string {
  const folded = new Set(taken.map(foldName));
  if (!folded.has(foldName(name))) return name;
  for (let n = 2; ; n += 1) {
    const suffix = ` ${n}`;
    const base = [...name].slice(0, LIMITS.nameMaxLength - codePointLength(suffix)).join('').trimEnd();
    const candidate = `${base}${suffix}`;
    if (!folded.has(foldName(candidate))) return candidate;
  }
}
