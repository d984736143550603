/**
 * Topology keys turned into CDK construct ids and output names: `connect` -> `Connect`,
 * `failed-events` -> `FailedEvents`. Logical ids derive from construct ids, so this must stay stable.
 */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
