import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { createEmbedder } from '../../lambdas/shared/retrieval/create-embedder';
import { pineconeApiKey } from '../../lambdas/shared/retrieval/pinecone-api-key';
import { retrievalSettingsFromEnv } from '../../lambdas/shared/retrieval/retrieval-settings';
import { retrieverFromEnv } from '../../lambdas/shared/retrieval/retriever-from-env';
import { parseIngestArgs } from '../../scripts/ingest-args';

describe('retrievalSettingsFromEnv', () => {
  it('is off without PINECONE_INDEX_HOST', () => {
    // Act and assess
    expect(retrievalSettingsFromEnv({})).toBeUndefined();
    expect(retrievalSettingsFromEnv({ PINECONE_INDEX_HOST: '  ' })).toBeUndefined();
  });

  it('reads host, namespace, key or secret and the retrieval numbers, with defaults', () => {
    // Act
    const defaults = retrievalSettingsFromEnv({ PINECONE_INDEX_HOST: 'kb-abc.svc.pinecone.io', PINECONE_API_KEY_SECRET: 'chat/pinecone' });
    const given = retrievalSettingsFromEnv({
      PINECONE_INDEX_HOST: 'http://127.0.0.1:8080/pinecone', PINECONE_NAMESPACE: 'team', PINECONE_API_KEY: 'local',
      RETRIEVAL_TOP_K: '3', RETRIEVAL_MIN_SCORE: '0.3',
    });

    // Assess
    expect(defaults).toStrictEqual({ indexHost: 'kb-abc.svc.pinecone.io', namespace: 'default', apiKeySecret: 'chat/pinecone', topK: 5, minScore: 0.15 });
    expect(given).toStrictEqual({ indexHost: 'http://127.0.0.1:8080/pinecone', namespace: 'team', apiKey: 'local', topK: 3, minScore: 0.3 });
  });

  it('fails loudly, naming the variable, on an invalid number', () => {
    // Act and assess
    expect(() => retrievalSettingsFromEnv({ PINECONE_INDEX_HOST: 'h', RETRIEVAL_TOP_K: 'many' })).toThrow(
      'Environment variable RETRIEVAL_TOP_K must be a whole number from 1 to 100, got "many"',
    );
    expect(() => retrievalSettingsFromEnv({ PINECONE_INDEX_HOST: 'h', RETRIEVAL_MIN_SCORE: '2' })).toThrow(
      'Environment variable RETRIEVAL_MIN_SCORE must be a number from -1 to 1, got "2"',
    );
  });
});

describe('pineconeApiKey', () => {
  it('prefers the key itself, else reads the secret (plain or JSON with apiKey)', async () => {
    // Prepare
    const asked: string[] = [];
    const secrets: Record<string, string> = { plain: ' pk-plain \n', json: '{"apiKey":"pk-json"}' };
    const reader = async (name: string): Promise<string | undefined> => (asked.push(name), secrets[name]);

    // Act
    const keys = [
      await pineconeApiKey({ apiKey: 'pk-direct', apiKeySecret: 'plain' }, reader),
      await pineconeApiKey({ apiKeySecret: 'plain' }, reader),
      await pineconeApiKey({ apiKeySecret: 'json' }, reader),
    ];

    // Assess
    expect(keys).toStrictEqual(['pk-direct', 'pk-plain', 'pk-json']);
    expect(asked).toStrictEqual(['plain', 'json']);
  });

  it('fails naming the settings or the secret when there is no key', async () => {
    // Act and assess
    await expect(pineconeApiKey({})).rejects.toThrow('Environment variable PINECONE_API_KEY or PINECONE_API_KEY_SECRET is required');
    await expect(pineconeApiKey({ apiKeySecret: 'empty' }, async () => '')).rejects.toThrow(
      'Secret empty has no string value (expected the Pinecone API key)',
    );
    await expect(pineconeApiKey({ apiKeySecret: 'odd' }, async () => '{"key":"x"}')).rejects.toThrow(
      'Secret odd is JSON without a string "apiKey" field',
    );
  });
});

describe('createEmbedder and retrieverFromEnv', () => {
  it('makes the embedder EMBEDDER names, offline by default', () => {
    // Act and assess
    expect(createEmbedder(undefined)).toBeInstanceOf(OfflineEmbedder);
    expect(createEmbedder('titan').name).toBe('amazon.titan-embed-text-v2:0/1024');
    expect(() => createEmbedder('word2vec')).toThrow('Environment variable EMBEDDER must be offline or titan, got "word2vec"');
  });

  it('builds a retriever only when retrieval is configured, reading the key from the secret', async () => {
    // Prepare
    const asked: string[] = [];

    // Act
    const off = await retrieverFromEnv({});
    const on = await retrieverFromEnv({ PINECONE_INDEX_HOST: 'http://127.0.0.1:1/pinecone', PINECONE_API_KEY_SECRET: 's' }, async (name) => (asked.push(name), 'k'));

    // Assess
    expect(off).toBeUndefined();
    expect(on?.queryText('q', [])).toBe('q');
    expect(asked).toStrictEqual(['s']);
  });
});

describe('parseIngestArgs', () => {
  it('reads paths, --prune and --namespace in either form', () => {
    // Act and assess
    expect(parseIngestArgs(['docs/', 'knowledge/', 'notes.md'])).toStrictEqual({ paths: ['docs/', 'knowledge/', 'notes.md'], prune: false, help: false });
    expect(parseIngestArgs(['--prune', 'kb', '--namespace', 'team'])).toStrictEqual({ paths: ['kb'], prune: true, namespace: 'team', help: false });
    expect(parseIngestArgs(['kb', '--namespace=x'])).toStrictEqual({ paths: ['kb'], prune: false, namespace: 'x', help: false });
  });

  it('rejects mistakes with a message saying what is wrong', () => {
    // Act and assess
    expect(() => parseIngestArgs([])).toThrow('Give at least one file or folder to ingest');
    expect(() => parseIngestArgs(['kb', '--force'])).toThrow('Unknown option --force');
    expect(() => parseIngestArgs(['kb', '--namespace'])).toThrow('--namespace needs a name');
  });
});
