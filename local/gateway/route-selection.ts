import type { RouteKey } from '../../contract';

/**
 * API Gateway's route selection for `$request.body.action`: a text frame whose JSON body has a string `action`
 * naming a route goes to that route; anything else (binary, not JSON, no such route) goes to `$default`.
 */
export function selectRoute(body: string | undefined, routes: readonly RouteKey[]): RouteKey {
  if (body === undefined) return '$default';
  let action: unknown;
  try {
    action = (JSON.parse(body) as { action?: unknown } | null)?.action;
  } catch {
    return '$default';
  }
  const route = routes.find((candidate) => !candidate.startsWith('$') && candidate === action);
  return route ?? '$default';
}
