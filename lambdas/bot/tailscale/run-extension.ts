import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TAILSCALE_EXTENSION } from './constants';
import { describeError } from './describe-error';
import type { ExtensionsApi } from './extensions-api';
import { readAuthKey } from './read-auth-key';
import type { CommandResult, TailscaleDaemon } from './tailscale-daemon';
import type { Log, ShutdownEvent } from './types';

/** What `runTailscaleExtension` works with; the defaults are the deployed values (`TAILSCALE_EXTENSION`). */
export interface TailscaleExtensionOptions {
  readonly api: ExtensionsApi;
  readonly secrets: SecretsManagerClient;
  readonly daemon: TailscaleDaemon;
  /** Name or ARN of the secret holding the auth key. */
  readonly authKeySecret: string;
  readonly hostname: string;
  /** Where the function sends its llama traffic, for the log lines. */
  readonly proxyUrl: string;
  readonly log: Log;
  /** @default TAILSCALE_EXTENSION.connectTimeoutMs */
  readonly connectTimeoutMs?: number;
  /** @default TAILSCALE_EXTENSION.upAttempts */
  readonly upAttempts?: number;
  /** @default TAILSCALE_EXTENSION.upRetryDelayMs */
  readonly upRetryDelayMs?: number;
  /** @default TAILSCALE_EXTENSION.logoutTimeoutMs */
  readonly logoutTimeoutMs?: number;
}

/**
 * The extension's life: register for SHUTDOWN, join the tailnet (bounded: Tailscale trouble never keeps the function
 * from starting; its llama requests then fail and the bot's fallback chain moves on), then wait for events. The first
 * `next` call completes this extension's init, so the first invocation runs once the node is connected. At SHUTDOWN the
 * node logs out, so the ephemeral node leaves the tailnet at once. Resolves when the extension should exit.
 */
export async function runTailscaleExtension(options: TailscaleExtensionOptions): Promise<void> {
  const startedAt = Date.now();
  // First: Lambda starts initializing the runtime once every extension has registered.
  await options.api.register(TAILSCALE_EXTENSION.name, ['SHUTDOWN']);
  await connect(options, startedAt);
  for (;;) {
    const event = await options.api.next();
    if (event.eventType === 'SHUTDOWN') {
      await shutdown(options, event);
      return;
    }
  }
}

async function connect(options: TailscaleExtensionOptions, startedAt: number): Promise<void> {
  const { daemon, log, proxyUrl } = options;
  const deadline = startedAt + (options.connectTimeoutMs ?? TAILSCALE_EXTENSION.connectTimeoutMs);
  const attempts = options.upAttempts ?? TAILSCALE_EXTENSION.upAttempts;
  const retryDelayMs = options.upRetryDelayMs ?? TAILSCALE_EXTENSION.upRetryDelayMs;
  const elapsed = () => `${Date.now() - startedAt} ms`;

  log(`starting tailscaled (userspace networking, proxy on ${proxyUrl}) as ${options.hostname}`);
  daemon.start();
  let authKey: string;
  try {
    authKey = await readAuthKey(options.secrets, options.authKeySecret);
  } catch (error) {
    log(
      `cannot read the auth key from secret ${options.authKeySecret} (${describeError(error)}); stopping ` +
        `tailscaled, so llama requests to ${proxyUrl} are refused`,
    );
    await daemon.stop(TAILSCALE_EXTENSION.stopTimeoutMs);
    return;
  }
  if (!(await daemon.waitForSocket(deadline))) {
    log(`tailscaled did not start within ${elapsed()}; llama requests to ${proxyUrl} fail`);
    return;
  }

  let result: CommandResult | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) break;
    result = await daemon.up(authKey, options.hostname, remainingMs);
    if (result.code === 0) {
      const ip = await daemon.ipv4(500);
      const address = ip ?? 'an unknown address';
      log(`connected to the tailnet as ${address} in ${elapsed()}; llama traffic goes through ${proxyUrl}`);
      return;
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
  const why = result ? summarize(result, authKey) : 'no time left';
  log(
    `not connected to the tailnet after ${elapsed()} (tailscale up: ${why}); tailscaled keeps trying in the ` +
      'background, llama requests fail until it connects',
  );
}

async function shutdown(options: TailscaleExtensionOptions, event: ShutdownEvent): Promise<void> {
  const { daemon, log } = options;
  const stopTimeoutMs = TAILSCALE_EXTENSION.stopTimeoutMs;
  if (daemon.running) {
    // What is left once tailscaled has had its time to stop, before Lambda's deadline.
    const budgetMs = Math.min(
      options.logoutTimeoutMs ?? TAILSCALE_EXTENSION.logoutTimeoutMs,
      event.deadlineMs - Date.now() - stopTimeoutMs,
    );
    log(`shutting down (${event.shutdownReason}): logging out of the tailnet`);
    const result = budgetMs > 0 ? await daemon.logout(budgetMs) : undefined;
    log(result?.code === 0 ? 'logged out' : `logout did not finish (${result ? summarize(result) : 'no time left'})`);
  }
  await daemon.stop(Math.min(stopTimeoutMs, event.deadlineMs - Date.now()));
}

/** The CLI's last words on one line, never including the auth key. */
function summarize(result: CommandResult, secret?: string): string {
  const output = secret ? result.output.split(secret).join('<auth key>') : result.output;
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const text = lines.length > 0 ? lines.join(' | ') : 'no output';
  const status = result.code === null ? 'stopped' : `exit ${result.code}`;
  return `${status}, ${text.length > 500 ? `${text.slice(0, 500)}...` : text}`;
}
