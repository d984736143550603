import { badRequest } from './errors';
import type { Metadata, MetadataValue } from './storage/types';

type Predicate = (metadata: Metadata) => boolean;
type Scalar = string | number | boolean;

const COMPARISONS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists'] as const;
type Comparison = (typeof COMPARISONS)[number];

/**
 * Compiles a Pinecone metadata filter (`{ genre: { $in: ['a', 'b'] }, year: { $gte: 2020 } }`, `$and`, `$or`, and
 * `{ field: value }` as `$eq`) into a predicate. A field holding a list of strings matches when any element does, as
 * in Pinecone. An invalid filter is a 400.
 */
export function compileFilter(filter: unknown): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isObject(filter)) throw badRequest('Invalid filter: a filter must be a JSON object');
  const predicates: Predicate[] = Object.entries(filter).map(([key, condition]) => {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) throw badRequest(`Invalid filter: ${key} takes a non-empty array of filters`);
      const parts = condition.map((part: unknown) => compileFilter(part));
      return key === '$and' ? (metadata) => parts.every((part) => part(metadata)) : (metadata) => parts.some((part) => part(metadata));
    }
    if (key.startsWith('$')) throw badRequest(`Invalid filter: unknown operator ${key}`);
    if (!isObject(condition)) return compare(key, '$eq', condition);
    const comparisons = Object.entries(condition).map(([operator, operand]) => {
      if (!(COMPARISONS as readonly string[]).includes(operator)) throw badRequest(`Invalid filter: unknown operator ${operator} on field ${key}`);
      return compare(key, operator as Comparison, operand);
    });
    return (metadata) => comparisons.every((comparison) => comparison(metadata));
  });
  return (metadata) => predicates.every((predicate) => predicate(metadata));
}

function compare(field: string, operator: Comparison, operand: unknown): Predicate {
  const anyOf = (test: (value: Scalar) => boolean) => (metadata: Metadata): boolean => {
    const value: MetadataValue | undefined = metadata[field];
    if (value === undefined) return false;
    return Array.isArray(value) ? value.some(test) : test(value);
  };
  switch (operator) {
    case '$exists':
      if (typeof operand !== 'boolean') throw badRequest(`Invalid filter: $exists on field ${field} takes true or false`);
      return (metadata) => (metadata[field] !== undefined) === operand;
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand) || !operand.every(isScalar)) throw badRequest(`Invalid filter: ${operator} on field ${field} takes an array of strings, numbers or booleans`);
      const set = new Set<Scalar>(operand);
      const inSet = anyOf((value) => set.has(value));
      return operator === '$in' ? inSet : (metadata) => !inSet(metadata);
    }
    case '$eq':
    case '$ne': {
      if (!isScalar(operand)) throw badRequest(`Invalid filter: ${operator} on field ${field} takes a string, number or boolean`);
      const equal = anyOf((value) => value === operand);
      return operator === '$eq' ? equal : (metadata) => !equal(metadata);
    }
    default: {
      if (typeof operand !== 'number') throw badRequest(`Invalid filter: ${operator} on field ${field} takes a number`);
      const test = {
        $gt: (value: number) => value > operand,
        $gte: (value: number) => value >= operand,
        $lt: (value: number) => value < operand,
        $lte: (value: number) => value <= operand,
      }[operator];
      return anyOf((value) => typeof value === 'number' && test(value));
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
