import { parseArgs } from 'node:util';

export interface IngestArgs {
  paths: string[];
  prune: boolean;
  /** From `--namespace x` or `--namespace=x`; undefined when not given. */
  namespace?: string;
  help: boolean;
}

export const INGEST_USAGE = `Usage: npm run ingest -- <file or folder>... [--prune] [--namespace <name>]

Loads Markdown (.md, .markdown), plain text (.txt) and HTML (.html, .htm) files, and folders of them, into the
bot's Pinecone index. Unchanged files change nothing; a changed file's chunks are replaced.

  --prune             also delete the chunks of files no longer in the folders given
  --namespace <name>  index namespace (default: PINECONE_NAMESPACE, else "default")

Environment:
  PINECONE_INDEX_HOST       index host (https://... from the Pinecone console); without it, the local chat of
                            npm start: the one running on DATA_DIR (default .local/data), or on PORT when given
  PINECONE_API_KEY          the API key, or
  PINECONE_API_KEY_SECRET   name or ARN of a Secrets Manager secret holding it
  EMBEDDER                  titan (Bedrock Titan Text Embeddings V2, needs AWS credentials; the default for a
                            remote index, as the deployed bot) or offline (the default for an index on 127.0.0.1)
  EMBEDDING_MODEL_ID        Titan model id (default amazon.titan-embed-text-v2:0)`;

/** Parses the command line with node:util's parseArgs; a mistake is an Error whose message says what is wrong. */
export function parseIngestArgs(argv: readonly string[]): IngestArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      prune: { type: 'boolean', default: false },
      namespace: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.namespace === '') throw new Error('--namespace needs a name');
  if (!values.help && positionals.length === 0) throw new Error('Give at least one file or folder to ingest');
  return {
    paths: positionals,
    prune: values.prune,
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    help: values.help,
  };
}
