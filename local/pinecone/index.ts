export { createLocalPineconeHandler, startLocalPinecone } from './local-pinecone';
export type { LocalPineconeHandler, LocalPineconeOptions, LocalPineconeServer } from './local-pinecone';
