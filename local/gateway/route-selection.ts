/**
 * API Gateway's route selection for a `$request.body.<path>` expression (`$request.body.action` by default): a text
 * frame whose JSON body has, at that path, a string naming a route goes to that route; anything else (binary, not
 * JSON, no such route) goes to `$default`.
 */
export function selectRoute<Route extends string>(
  body: string | undefined,
  routes: readonly Route[],
  routeSelectionExpression = '$request.body.action',
): Route | '$default' {
  if (body === undefined) return '$default';
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return '$default';
  }
  for (const key of routeSelectionExpression.replace(/^\$request\.body\./, '').split('.')) {
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  const route = routes.find((candidate) => !candidate.startsWith('$') && candidate === value);
  return route ?? '$default';
}
