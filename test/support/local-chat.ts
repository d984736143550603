import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime';

export interface LocalChat extends LocalRuntime {
  /** Every log line the runtime and its functions wrote, for diagnosing a failure. */
  logs: string[];
  /** Stops the runtime and deletes its data folder. */
  dispose(): Promise<void>;
}

/**
 * For tests of the chat itself, whose exact histories and frame sequences the bot's answers would interleave with:
 * a budget of zero answers (the bot only posts one notice a minute, which is not history).
 */
export const SPINE_ONLY: LocalRuntimeOptions = { settings: { botAnswersPerRoomPerMinute: '0' } };

/**
 * For tests where the offline bot answers but how its answer grows is not the subject: its words 1 ms apart instead of
 * the shipped 15 ms (botOfflineDelayMs), still one delta per word batch through the same path. Each answer otherwise
 * kept a test waiting 1-2 s. Tests about streaming itself (partial states, joining mid-answer, a kill mid-answer) keep
 * the shipped pace.
 */
export const QUICK_OFFLINE_BOT = { botOfflineDelayMs: '1' } as const;

/** Starts the whole local runtime on a free port with its own data folder, as `npm start` does. */
export async function startLocalChat(options: LocalRuntimeOptions = {}): Promise<LocalChat> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chat-test-'));
  const logs: string[] = [];
  const runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', ...options, dataDir, log: (line) => logs.push(line) });
  return {
    ...runtime,
    logs,
    dispose: async () => {
      await runtime.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
