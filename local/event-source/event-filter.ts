import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { FilterPattern } from '../../contract';

/** A filter pattern Lambda would refuse, or one the local runtime cannot evaluate as Lambda does. */
export class FilterPatternError extends Error {
  public constructor(message: string) {
    super(`Invalid Kinesis filter pattern: ${message}`);
    this.name = 'FilterPatternError';
  }
}

type Matcher = (value: unknown) => boolean;

const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

/**
 * Lambda event filtering for Kinesis records, compiled once when the mapping starts so a bad pattern stops the start
 * with its path named, instead of failing inside the shard reader. Kinesis mappings filter on `data` only (the
 * record's data decoded as JSON; data that is not JSON matches no pattern). A record passes if any pattern matches;
 * with no patterns, every record passes. Rules: exact values (string, number, boolean, null, `""`), `prefix`,
 * `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or a `prefix`/`suffix`), `numeric` (one comparison
 * or a range), `exists`, and `$or`; AND across keys, OR within a list, and a list in the data matches if any element does.
 */
export function compileFilters(patterns: readonly FilterPattern[]): (record: KinesisRecord) => boolean {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((pattern, index) => compileTopLevel(pattern, `pattern ${index}`));
  return (record) => {
    const data = decodeData(record);
    return data !== NOT_JSON && compiled.some((matches) => matches(data));
  };
}

function compileTopLevel(pattern: FilterPattern, path: string): Matcher {
  if (!isPlainObject(pattern)) throw new FilterPatternError(`${path} must be a JSON object`);
  const keys = Object.keys(pattern);
  const other = keys.find((key) => key !== 'data');
  if (other !== undefined) {
    throw new FilterPatternError(`${path}: Kinesis event source mappings filter on "data" only, not "${other}"`);
  }
  if (keys.length === 0) throw new FilterPatternError(`${path} is empty`);
  return compileObject(pattern.data, `${path}.data`);
}

function compileObject(pattern: unknown, path: string): Matcher {
  if (!isPlainObject(pattern)) throw new FilterPatternError(`${path} must be an object or a list of rules`);
  const fields: [string, Matcher][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new FilterPatternError(`${path}.$or must list at least two patterns`);
      const alternatives = value.map((alternative, i) => compileObject(alternative, `${path}.$or[${i}]`));
      fields.push([key, (object) => alternatives.some((matches) => matches(object))]);
      continue;
    }
    const matcher = Array.isArray(value) ? compileRules(value, `${path}.${key}`) : compileObject(value, `${path}.${key}`);
    fields.push([key, (object) => matcher(isPlainObject(object) ? object[key] : undefined)]);
  }
  if (fields.length === 0) throw new FilterPatternError(`${path} is empty`);
  return (object) => fields.every(([, matches]) => matches(object));
}

/** A leaf: a list of rules, any of which may match; a list in the data matches if any element does. */
function compileRules(rules: readonly unknown[], path: string): Matcher {
  if (rules.length === 0) throw new FilterPatternError(`${path} is an empty list`);
  const compiled = rules.map((rule, i) => compileRule(rule, `${path}[${i}]`));
  const absentOk = compiled.filter((rule) => rule.matchesAbsent);
  return (value) => {
    if (value === undefined) return absentOk.length > 0;
    const candidates = Array.isArray(value) ? value : [value];
    return compiled.some((rule) => !rule.matchesAbsent && candidates.some((candidate) => rule.matches(candidate)));
  };
}

interface CompiledRule {
  matches: Matcher;
  /** Only `exists: false` matches a field that is not there. */
  matchesAbsent: boolean;
}

function compileRule(rule: unknown, path: string): CompiledRule {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) {
    return { matches: (value) => value === rule, matchesAbsent: false };
  }
  if (!isPlainObject(rule) || Object.keys(rule).length !== 1) {
    throw new FilterPatternError(`${path}: a rule is a value or an object with one operator, not ${JSON.stringify(rule)}`);
  }
  const [operator, operand] = Object.entries(rule)[0] as [string, unknown];
  switch (operator) {
    case 'prefix':
      return { matches: stringTest(operand, path, operator, (value, text) => value.startsWith(text)), matchesAbsent: false };
    case 'suffix':
      return { matches: stringTest(operand, path, operator, (value, text) => value.endsWith(text)), matchesAbsent: false };
    case 'equals-ignore-case':
      return {
        matches: stringTest(operand, path, operator, (value, text) => value.toLowerCase() === text.toLowerCase()),
        matchesAbsent: false,
      };
    case 'exists':
      if (typeof operand !== 'boolean') throw new FilterPatternError(`${path}: exists takes true or false`);
      return operand ? { matches: () => true, matchesAbsent: false } : { matches: () => false, matchesAbsent: true };
    case 'numeric':
      return { matches: numericTest(operand, path), matchesAbsent: false };
    case 'anything-but':
      return { matches: anythingBut(operand, path), matchesAbsent: false };
    default:
      throw new FilterPatternError(`${path}: unknown operator "${operator}"`);
  }
}

function stringTest(operand: unknown, path: string, operator: string, test: (value: string, text: string) => boolean): Matcher {
  if (typeof operand !== 'string') throw new FilterPatternError(`${path}: ${operator} takes a string`);
  return (value) => typeof value === 'string' && test(value, operand);
}

function numericTest(operand: unknown, path: string): Matcher {
  const valid =
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((item, i) =>
      i % 2 === 0 ? NUMERIC_OPERATORS.includes(item as NumericOperator) : typeof item === 'number' && Number.isFinite(item),
    );
  if (!valid) throw new FilterPatternError(`${path}: numeric takes [operator, number] or a range [">", a, "<=", b]`);
  const comparisons: [NumericOperator, number][] = [];
  for (let i = 0; i < operand.length; i += 2) comparisons.push([operand[i] as NumericOperator, operand[i + 1] as number]);
  if (comparisons.length === 2 && comparisons.some(([operator]) => operator === '=')) {
    throw new FilterPatternError(`${path}: a numeric range takes a lower and an upper bound`);
  }
  return (value) => typeof value === 'number' && comparisons.every(([operator, bound]) => compare(value, operator, bound));
}

function compare(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

function anythingBut(operand: unknown, path: string): Matcher {
  if (isPlainObject(operand)) {
    const [inner] = Object.keys(operand);
    if (Object.keys(operand).length !== 1 || (inner !== 'prefix' && inner !== 'suffix')) {
      throw new FilterPatternError(`${path}: anything-but takes a value, a list of values, or {"prefix"} / {"suffix"}`);
    }
    const test = compileRule(operand, path).matches;
    return (value) => typeof value === 'string' && !test(value);
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0 || !excluded.every((item) => typeof item === 'string' || typeof item === 'number')) {
    throw new FilterPatternError(`${path}: anything-but takes strings or numbers`);
  }
  return (value) => !(excluded as unknown[]).includes(value);
}

const NOT_JSON = Symbol('not JSON');

function decodeData(record: KinesisRecord): unknown {
  try {
    return JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
