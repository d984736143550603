/**
 * API Gateway's route selection for `$request.body.action`: a text frame whose JSON body has a string `action`
 * naming a route goes to that route; anything else (not JSON, no such route) goes to `$default`, or to no route at all
 * (undefined) when the API has no `$default`. Binary frames never get here: API Gateway closes the connection instead.
 */
export function selectRoute<Route extends string>(body: string, routes: readonly Route[]): Route | undefined {
  const fallback = routes.find((candidate) => candidate === '$default');
  let action: unknown;
  try {
    action = (JSON.parse(body) as { action?: unknown } | null)?.action;
  } catch {
    return fallback;
  }
  const route = routes.find((candidate) => !candidate.startsWith('$') && candidate === action);
  return route ?? fallback;
}
