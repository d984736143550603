/** Props of `pageContentSecurityPolicy`. */
export interface PagePolicyProps {
  /** WebSocket endpoints the page may connect to besides its own origin, e.g. `wss://abc.execute-api.../prod`. */
  readonly webSocketSources: readonly string[];
  /**
   * Ask the browser to fetch any http:// subresource over https://. Only for a page served over HTTPS.
   * @default false
   */
  readonly upgradeInsecureRequests?: boolean;
}

/**
 * The chat page's content security policy, the same on CloudFront and locally: scripts, styles, images and fetches
 * from the page's own origin only, plus the WebSocket endpoint; no inline script or style, no plugins, no framing,
 * no form posts, and Trusted Types enforced with no policy at all, so even a stray `innerHTML = string` throws
 * instead of parsing markup (the page builds every node itself).
 */
export function pageContentSecurityPolicy(props: PagePolicyProps): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    ['connect-src', "'self'", ...props.webSocketSources].join(' '),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
    ...(props.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Headers besides the CSP, as values (CloudFront sets the same through its security-headers settings). */
export const PAGE_PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/**
 * The security headers of every response the page's origin gives (errors too), as CloudFront's response headers
 * policy sets them, minus HSTS, which only means something over HTTPS (the local runtime serves plain HTTP).
 */
export function pageSecurityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': PAGE_PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
  };
}
