import { SETTINGS, type FunctionSpec, type SettingName } from '../contract';

/**
 * Deploy-time Tailscale configuration (context `tailscale=true` and the `tailscale*` keys in contract `STACK_SETTINGS`),
 * validated. With it, every function that sends llama traffic runs tailscaled next to its handler.
 */
export interface TailscaleConfig {
  /** Name or ARN of the Secrets Manager secret holding the Tailscale auth key (context `tailscaleAuthKeySecret`). */
  readonly authKeySecret: string;
  /** Machine name of the function's node in the tailnet (context `tailscaleHostname`). */
  readonly hostname: string;
  /** Port of tailscaled's HTTP and SOCKS5 proxy on 127.0.0.1 (context `tailscaleProxyPort`). */
  readonly proxyPort: number;
}

/** Where tailscaled's proxy listens inside the function: its `llamaProxyUrl` when Tailscale is on. */
export function tailscaleProxyUrl(config: TailscaleConfig): string {
  return `http://127.0.0.1:${config.proxyPort}`;
}

/**
 * Whether a function sends llama traffic, and so goes through Tailscale when it is on: it is the one that receives
 * the `llamaProxyUrl` setting (in topology FUNCTIONS, the bot). Tailscale carries nothing else.
 */
export function sendsLlamaTraffic(spec: FunctionSpec): boolean {
  return spec.settings.includes('llamaProxyUrl');
}

/**
 * What the settings must say for Tailscale to be of use, as `key: got ..., expected ...` problems: an auth key secret,
 * a llama URL (the only traffic Tailscale carries) and no proxy of their own (tailscaled's takes its place).
 */
export function tailscaleProblems(
  config: TailscaleConfig,
  settings: Readonly<Record<SettingName, string>>,
): string[] {
  const problems: string[] = [];
  if (config.authKeySecret === '') {
    problems.push(
      'tailscaleAuthKeySecret: got "", expected the name or ARN of a Secrets Manager secret holding a Tailscale ' +
        'auth key (required when tailscale=true), e.g. chat/tailscale',
    );
  }
  if (settings.llamaUrl === '') {
    problems.push(
      `${SETTINGS.llamaUrl.contextKey}: got "", expected the URL of the llama server on the tailnet ` +
        '(required when tailscale=true, which carries only llama traffic), e.g. http://100.101.102.6:8080',
    );
  }
  if (settings.llamaProxyUrl !== '') {
    problems.push(
      `${SETTINGS.llamaProxyUrl.contextKey}: got ${JSON.stringify(settings.llamaProxyUrl)}, expected empty when ` +
        `tailscale=true (llama traffic then goes through tailscaled's proxy on ${tailscaleProxyUrl(config)})`,
    );
  }
  return problems;
}
