// The data-plane class of the official client, which `new Pinecone(config).index({ host })` constructs: the package
// root would also bundle the control plane, assistants, inference and admin APIs (about 380 KB of the bot's bundle).
import { Index } from '@pinecone-database/pinecone/dist/data';

export interface OpenPineconeIndexProps {
  apiKey: string;
  /**
   * The index host from the Pinecone console or `describeIndex` (`my-index-abc123.svc.aped-4627-b74a.pinecone.io`,
   * https assumed), or a full URL such as the local endpoint `http://127.0.0.1:8080/pinecone`.
   */
  host: string;
  /** Retries of 5xx answers, with exponential backoff. @default 3 (the client's default) */
  maxRetries?: number;
}

const clients = new Map<string, Index>();

/** The data-plane client of one index, created once per API key and host (once per Lambda execution environment). */
export function openPineconeIndex(props: OpenPineconeIndexProps): Index {
  const key = `${props.host}\u0000${props.apiKey}\u0000${props.maxRetries ?? ''}`;
  let index = clients.get(key);
  if (!index) {
    // The client's own check (the Pinecone constructor's), which `Index` alone does not make.
    if (!props.apiKey) throw new TypeError('The client configuration must have required property: apiKey.');
    index = new Index({ host: props.host }, { apiKey: props.apiKey, ...(props.maxRetries !== undefined ? { maxRetries: props.maxRetries } : {}) });
    clients.set(key, index);
  }
  return index;
}
