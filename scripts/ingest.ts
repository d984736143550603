import '../local/quiet-sdk-warning';
import { readSettings } from '../contract';
import { createEmbedder } from '../lambdas/shared/retrieval/create-embedder';
import { ingestPaths } from '../ingest/ingest';
import { formatIngestSummary } from '../ingest/ingest-summary';
import { openPineconeIndex } from '../lambdas/shared/retrieval/open-pinecone-index';
import { pineconeApiKey } from '../lambdas/shared/retrieval/pinecone-api-key';
import { PineconeVectorStore } from '../lambdas/shared/retrieval/pinecone-vector-store';
import { INGEST_USAGE, parseIngestArgs } from './ingest-args';
import { localChatIndexHost, NoLocalChatError } from './local-chat-index';

/**
 * npm run ingest -- docs/ knowledge/ [--prune] [--namespace x]
 *
 * Exit status: 0 when every file was ingested, 1 when some were skipped (the others are in), 2 on a usage or
 * configuration error or a failure of the index or the embedder.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseIngestArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${INGEST_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(INGEST_USAGE);
    return 0;
  }
  // Without PINECONE_INDEX_HOST, documents go to the running local chat's index (npm start), which its bot retrieves
  // from. An index on this machine is read with npm start's defaults (the offline embedder, as its bot); any other with
  // the deployed ones (Titan, as the deployed bot), so ingestion and the bot embed alike unless told otherwise.
  const { pineconeIndexHost } = readSettings(process.env, ['pineconeIndexHost']);
  let indexHost = pineconeIndexHost;
  if (!indexHost) {
    try {
      indexHost = await localChatIndexHost();
    } catch (error) {
      if (!(error instanceof NoLocalChatError)) throw error;
      console.error(error.message);
      return 2;
    }
    console.log(`No PINECONE_INDEX_HOST: loading into the local chat's index at ${indexHost}.`);
  }
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(indexHost);
  const settings = readSettings(process.env, ['pineconeNamespace', 'pineconeApiKeySecret', 'embedder', 'embeddingModelId'], { local: loopback });
  const secret = settings.pineconeApiKeySecret;
  // A loopback index (npm start's) takes any key.
  const apiKey = await pineconeApiKey(loopback && !secret.name && !secret.value ? { name: '', value: 'local' } : secret);
  const store = new PineconeVectorStore({
    index: openPineconeIndex({ apiKey, host: indexHost }),
    namespace: args.namespace ?? settings.pineconeNamespace,
  });
  const summary = await ingestPaths(args.paths, {
    store,
    embedder: createEmbedder(settings.embedder, settings.embeddingModelId),
    prune: args.prune,
    log: (line) => console.log(line),
  });
  console.log(`Done: ${formatIngestSummary(summary)}`);
  for (const error of summary.errors) console.log(`  skipped ${error.source} (${error.code}): ${error.message}`);
  return summary.errors.length > 0 ? 1 : 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const refused = JSON.stringify(error, Object.getOwnPropertyNames(error)).includes('ECONNREFUSED');
    const hint = refused ? ' (nothing answers at that address: is npm start running, or PINECONE_INDEX_HOST right?)' : '';
    console.error(`Ingestion failed: ${(error as Error).message}${hint}`);
    process.exitCode = 2;
  },
);
