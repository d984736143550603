/**
 * API Gateway's route selection for a `$request.body.<path>` expression (`$request.body.action` by default): a text
 * frame whose JSON body has, at that path, a string naming a route goes to that route; anything else (not JSON, no
 * such route) goes to `$default`, or to no route at all (undefined) when the API has no `$default`. Binary frames never
 * get here: API Gateway closes the connection instead.
 */
export function selectRoute<Route extends string>(
  body: string,
  routes: readonly Route[],
  routeSelectionExpression = '$request.body.action',
): Route | undefined {
  const fallback = routes.find((candidate) => candidate === '$default');
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return fallback;
  }
  for (const key of routeSelectionExpression.replace(/^\$request\.body\./, '').split('.')) {
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  const route = routes.find((candidate) => !candidate.startsWith('$') && candidate === value);
  return route ?? fallback;
}
