// The Tailscale Lambda extension: bundled by lib/tailscale-build-context.ts (with a `#!/usr/bin/env node` line) to
// /opt/extensions/tailscale in the bot's container image, where Lambda starts it before the function's runtime.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TAILSCALE_ENVIRONMENT } from '../../../contract/tailscale-environment';
import { requireEnv } from '../../shared/config';
import { TAILSCALE_EXTENSION } from './constants';
import { describeError } from './describe-error';
import { ExtensionsApi } from './extensions-api';
import { runTailscaleExtension } from './run-extension';
import { TailscaleDaemon } from './tailscale-daemon';

const log = (line: string): void => {
  process.stdout.write(`[tailscale] ${line}\n`);
};

async function main(): Promise<void> {
  const proxyPort = Number(requireEnv(TAILSCALE_ENVIRONMENT.proxyPort));
  if (!Number.isInteger(proxyPort) || proxyPort < 1 || proxyPort > 65535) {
    throw new Error(`Environment variable ${TAILSCALE_ENVIRONMENT.proxyPort} must be a port number`);
  }
  await runTailscaleExtension({
    api: new ExtensionsApi(requireEnv('AWS_LAMBDA_RUNTIME_API')),
    secrets: new SecretsManagerClient({}),
    daemon: new TailscaleDaemon({
      binDir: TAILSCALE_EXTENSION.binDir,
      runDir: TAILSCALE_EXTENSION.runDir,
      proxyPort,
      log,
    }),
    authKeySecret: requireEnv(TAILSCALE_ENVIRONMENT.authKeySecret),
    hostname: requireEnv(TAILSCALE_ENVIRONMENT.hostname),
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    log,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Lambda reports the init as failed (Extension.Crash) and retries it on the next invocation.
    log(`failed: ${describeError(error)}`);
    process.exit(1);
  },
);
