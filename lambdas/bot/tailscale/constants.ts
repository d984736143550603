/** Fixed facts of the Tailscale extension and the container image it runs in (see Dockerfile). */
export const TAILSCALE_EXTENSION = {
  /** The extension's name: Lambda requires it to equal the file name of the executable in /opt/extensions. */
  name: 'tailscale',
  /** Where the Dockerfile puts the tailscale and tailscaled binaries. */
  binDir: '/usr/local/bin',
  /** Writable folder for tailscaled's socket, state directory and logs (only /tmp is writable in Lambda). */
  runDir: '/tmp/tailscale',
  /**
   * How long the extension waits for the node to join the tailnet (auth key read, tailscaled start, `tailscale up`)
   * before it lets the function start anyway. Lambda gives the whole init phase 10 s.
   */
  connectTimeoutMs: 7000,
  /** Attempts at `tailscale up` within that time (a first one can race tailscaled still starting). */
  upAttempts: 3,
  /** Pause between two attempts. */
  upRetryDelayMs: 250,
  /** Longest wait for `tailscale logout` at shutdown; Lambda gives the shutdown phase 2 s in all. */
  logoutTimeoutMs: 1300,
  /** How long tailscaled gets to exit after SIGTERM before it is killed. */
  stopTimeoutMs: 400,
} as const;

/** Lambda Extensions API paths (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html). */
export const EXTENSIONS_API = {
  register: '/2020-01-01/extension/register',
  next: '/2020-01-01/extension/event/next',
  nameHeader: 'Lambda-Extension-Name',
  identifierHeader: 'Lambda-Extension-Identifier',
} as const;
