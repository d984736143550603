import { LIMITS } from '../shared/protocol/limits';
import { codePointLength } from '../shared/protocol/text';

/**
 * The names a newcomer asking for `name` may get, in order: `name`, then "name 2", "name 3", ... (the name shortened
 * to keep it within LIMITS.nameMaxLength), `count` of them.
 */
export function* nameCandidates(name: string, count: number): Generator<string> {
  yield name;
  for (let n = 2; n <= count; n += 1) {
    const suffix = ` ${n}`;
    const base = [...name].slice(0, LIMITS.nameMaxLength - codePointLength(suffix)).join('').trimEnd();
    yield `${base}${suffix}`;
  }
}
