import { Pinecone, type Index } from '@pinecone-database/pinecone';

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
    const pinecone = new Pinecone({ apiKey: props.apiKey, ...(props.maxRetries !== undefined ? { maxRetries: props.maxRetries } : {}) });
    index = pinecone.index({ host: props.host });
    clients.set(key, index);
  }
  return index;
}
