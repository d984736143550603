import { resolve } from 'node:path';
import { runningRuntimePort } from '../local/data-dir-lock';
import { LOCAL_DEFAULTS } from '../local/runtime-options';

type Environment = Readonly<Record<string, string | undefined>>;

/** No local chat answers where `npm run ingest` looked for one; the message is the sentence to show. */
export class NoLocalChatError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'NoLocalChatError';
  }
}

/**
 * The port of the local chat to ingest into: PORT when given, else the port of the chat running on the data folder
 * (DATA_DIR, as for npm start), else npm start's default.
 */
export function localChatPort(env: Environment = process.env): number {
  const given = env.PORT?.trim();
  if (given) {
    const port = Number(given);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new NoLocalChatError(`PORT must be a port number, got "${given}".`);
    return port;
  }
  return runningRuntimePort(resolve(env.DATA_DIR || LOCAL_DEFAULTS.dataDir)) ?? LOCAL_DEFAULTS.port;
}

/**
 * The local chat's index URL, once its local Pinecone endpoint has answered; a NoLocalChatError saying what to do
 * when nothing (or something else) answers on that port.
 */
export async function localChatIndexHost(env: Environment = process.env): Promise<string> {
  const port = localChatPort(env);
  const indexHost = `http://127.0.0.1:${port}/pinecone`;
  let response: Response;
  try {
    response = await fetch(`${indexHost}/describe_index_stats`, { headers: { 'api-key': 'local' }, signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new NoLocalChatError(`No local chat on port ${port}; start it with npm start or set PINECONE_INDEX_HOST.`);
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new NoLocalChatError(`Port ${port} answers, but not as a local chat; start the chat with npm start or set PINECONE_INDEX_HOST.`);
  }
  return indexHost;
}
