/**
 * The environment variables the stack gives a function that reaches its llama server over Tailscale, read by the
 * Lambda extension in its container image (lambdas/bot/tailscale). Plain data: the extension imports it too.
 */
export const TAILSCALE_ENVIRONMENT = {
  /** Name or ARN of the Secrets Manager secret holding the Tailscale auth key (plain text, `tskey-...`). */
  authKeySecret: 'TS_AUTHKEY_SECRET',
  /** Machine name of the function's ephemeral node in the tailnet (Tailscale adds `-1`, `-2`... to duplicates). */
  hostname: 'TS_HOSTNAME',
  /** Port of tailscaled's HTTP and SOCKS5 proxy on 127.0.0.1, where the function sends its llama traffic. */
  proxyPort: 'TS_PROXY_PORT',
} as const;
