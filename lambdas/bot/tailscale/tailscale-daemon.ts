import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { Log } from './types';

/** Props of `TailscaleDaemon`. */
export interface TailscaleDaemonOptions {
  /** Folder holding the `tailscale` and `tailscaled` binaries. */
  readonly binDir: string;
  /** Writable folder for the daemon's socket, state directory and logs. */
  readonly runDir: string;
  /** Port of the HTTP and SOCKS5 proxy on 127.0.0.1 (tailscaled serves both on one port). */
  readonly proxyPort: number;
  readonly log: Log;
}

/** How a `tailscale` CLI command ended: its exit code (null when killed or not started) and what it printed. */
export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * tailscaled in userspace networking mode (no TUN device, which Lambda has not), with its state in memory (so the node
 * is ephemeral) and an outbound proxy on 127.0.0.1: traffic sent through the proxy to a tailnet address goes over
 * WireGuard, anything else goes out directly. Its log lines reach the function's log prefixed with `tailscaled:`.
 */
export class TailscaleDaemon {
  /** Path of the daemon's LocalAPI socket, which the CLI talks to. */
  public readonly socket: string;
  private daemon: ChildProcess | undefined;

  constructor(private readonly options: TailscaleDaemonOptions) {
    this.socket = path.join(options.runDir, 'tailscaled.sock');
  }

  /** The tailscaled command line. */
  get daemonArguments(): string[] {
    const listen = `127.0.0.1:${this.options.proxyPort}`;
    return [
      '--tun=userspace-networking',
      '--state=mem:',
      `--statedir=${this.options.runDir}`,
      `--socket=${this.socket}`,
      `--socks5-server=${listen}`,
      `--outbound-http-proxy-listen=${listen}`,
    ];
  }

  start(): void {
    fs.mkdirSync(this.options.runDir, { recursive: true });
    const daemon = spawn(path.join(this.options.binDir, 'tailscaled'), this.daemonArguments, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Without it, tailscaled looks for a log folder under /var/lib or $HOME, neither writable here.
      env: { ...process.env, TS_LOGS_DIR: this.options.runDir },
    });
    this.forwardLines(daemon.stdout, 'tailscaled: ');
    this.forwardLines(daemon.stderr, 'tailscaled: ');
    daemon.on('error', (error) => {
      this.options.log(`cannot start tailscaled: ${error.message}`);
      if (this.daemon === daemon) this.daemon = undefined;
    });
    daemon.on('exit', (code, signal) => {
      this.options.log(`tailscaled exited (${signal ?? `code ${code}`})`);
      if (this.daemon === daemon) this.daemon = undefined;
    });
    this.daemon = daemon;
  }

  /** Whether tailscaled is running: started, and neither failed to start, exited nor asked to stop. */
  get running(): boolean {
    return this.daemon !== undefined;
  }

  /** Waits until tailscaled has created its socket, up to `deadline` (epoch ms). */
  async waitForSocket(deadline: number): Promise<boolean> {
    while (!fs.existsSync(this.socket)) {
      if (Date.now() >= deadline || !this.daemon) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /**
   * `tailscale up`: logs the node in with the auth key and waits until it is connected, at most `timeoutMs`. Shields
   * up: the node only dials out, nothing in the tailnet can connect to it (and so to its proxy).
   */
  up(authKey: string, hostname: string, timeoutMs: number): Promise<CommandResult> {
    const args = ['up', `--authkey=${authKey}`, `--hostname=${hostname}`, '--shields-up', `--timeout=${timeoutMs}ms`];
    return this.cli(args, timeoutMs + 1000);
  }

  /** The node's Tailscale IPv4 address, once it is up. */
  async ipv4(timeoutMs: number): Promise<string | undefined> {
    const { code, output } = await this.cli(['ip', '-4'], timeoutMs);
    return code === 0 ? output.trim() || undefined : undefined;
  }

  /** `tailscale logout`: the ephemeral node leaves the tailnet now, not once it has been offline a while. */
  logout(timeoutMs: number): Promise<CommandResult> {
    return this.cli(['logout'], timeoutMs);
  }

  /** Stops tailscaled, and with it the proxy: SIGTERM, then SIGKILL after `timeoutMs`. Resolves once it has exited. */
  async stop(timeoutMs: number): Promise<void> {
    const daemon = this.daemon;
    if (!daemon) return;
    this.daemon = undefined;
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), Math.max(0, timeoutMs));
    await exited;
    clearTimeout(timer);
  }

  private cli(args: readonly string[], timeoutMs: number): Promise<CommandResult> {
    return new Promise((resolve) => {
      const command = spawn(path.join(this.options.binDir, 'tailscale'), [`--socket=${this.socket}`, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      command.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      command.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      const timer = setTimeout(() => command.kill('SIGKILL'), timeoutMs);
      command.on('error', (error) => {
        clearTimeout(timer);
        resolve({ code: null, output: error.message });
      });
      command.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }

  private forwardLines(stream: Readable, prefix: string): void {
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => this.options.log(prefix + line));
  }
}
