import { FUNCTIONS, readSettings, SettingsError } from '../../contract';
import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { createEmbedder } from '../../lambdas/shared/retrieval/create-embedder';
import { pineconeApiKey } from '../../lambdas/shared/retrieval/pinecone-api-key';
import { retrieverFromSettings } from '../../lambdas/shared/retrieval/retriever-from-settings';
import { parseIngestArgs } from '../../scripts/ingest-args';

const botSettings = (env: Record<string, string>) => readSettings(env, FUNCTIONS.bot.settings);

describe('retrieval settings, as the bot reads them', () => {
  it('reads host, namespace, key or secret and the retrieval numbers, with the deployed defaults', () => {
    // Act
    const defaults = botSettings({ PINECONE_INDEX_HOST: 'kb-abc.svc.pinecone.io', PINECONE_API_KEY_SECRET: 'chat/pinecone' });
    const given = botSettings({
      PINECONE_INDEX_HOST: 'http://127.0.0.1:8080/pinecone', PINECONE_NAMESPACE: 'team', PINECONE_API_KEY: 'local',
      RETRIEVAL_TOP_K: '3', RETRIEVAL_MIN_SCORE: '0.3', EMBEDDER: 'offline',
    });

    // Assess
    const retrievalOf = ({ pineconeIndexHost, pineconeNamespace, pineconeApiKeySecret, embedder, retrievalTopK, retrievalMinScore }: typeof defaults) =>
      ({ pineconeIndexHost, pineconeNamespace, pineconeApiKeySecret, embedder, retrievalTopK, retrievalMinScore });
    expect(retrievalOf(defaults)).toStrictEqual({
      pineconeIndexHost: 'kb-abc.svc.pinecone.io', pineconeNamespace: 'default', pineconeApiKeySecret: { name: 'chat/pinecone' },
      embedder: 'titan', retrievalTopK: 5, retrievalMinScore: 0.15,
    });
    expect(retrievalOf(given)).toStrictEqual({
      pineconeIndexHost: 'http://127.0.0.1:8080/pinecone', pineconeNamespace: 'team', pineconeApiKeySecret: { name: '', value: 'local' },
      embedder: 'offline', retrievalTopK: 3, retrievalMinScore: 0.3,
    });
  });

  it('fails once, naming every invalid variable and what it expects', () => {
    // Act and assess
    expect(() => botSettings({ RETRIEVAL_TOP_K: '100', RETRIEVAL_MIN_SCORE: '2', EMBEDDER: 'word2vec' })).toThrow(
      new SettingsError([
        'EMBEDDER: got "word2vec", expected titan or offline',
        'RETRIEVAL_TOP_K: got "100", expected a whole number from 1 to 20',
        'RETRIEVAL_MIN_SCORE: got "2", expected a number from -1 to 1, e.g. 0.15',
      ]),
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
      await pineconeApiKey({ value: 'pk-direct', name: 'plain' }, reader),
      await pineconeApiKey({ name: 'plain' }, reader),
      await pineconeApiKey({ name: 'json' }, reader),
    ];

    // Assess
    expect(keys).toStrictEqual(['pk-direct', 'pk-plain', 'pk-json']);
    expect(asked).toStrictEqual(['plain', 'json']);
  });

  it('fails naming the settings or the secret when there is no key', async () => {
    // Act and assess
    await expect(pineconeApiKey({ name: '' })).rejects.toThrow('Environment variable PINECONE_API_KEY or PINECONE_API_KEY_SECRET is required');
    await expect(pineconeApiKey({ name: 'empty' }, async () => '')).rejects.toThrow(
      'Secret empty has no string value (expected the Pinecone API key)',
    );
    await expect(pineconeApiKey({ name: 'odd' }, async () => '{"key":"x"}')).rejects.toThrow(
      'Secret odd is JSON without a string "apiKey" field',
    );
  });
});

describe('createEmbedder and retrieverFromSettings', () => {
  it('makes the embedder the setting names', () => {
    // Act and assess
    expect(createEmbedder('offline', 'unused')).toBeInstanceOf(OfflineEmbedder);
    expect(createEmbedder('titan', 'amazon.titan-embed-text-v2:0').name).toBe('amazon.titan-embed-text-v2:0/1024');
  });

  it('builds a retriever only when retrieval is configured, reading the key from the secret', async () => {
    // Prepare
    const asked: string[] = [];

    // Act
    const off = await retrieverFromSettings(botSettings({}));
    const on = await retrieverFromSettings(
      botSettings({ PINECONE_INDEX_HOST: 'http://127.0.0.1:1/pinecone', PINECONE_API_KEY_SECRET: 's' }),
      async (name: string) => (asked.push(name), 'k'),
    );

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
    expect(parseIngestArgs(['-h'])).toStrictEqual({ paths: [], prune: false, help: true });
    expect(parseIngestArgs(['--', '-odd-name.md'])).toStrictEqual({ paths: ['-odd-name.md'], prune: false, help: false });
  });

  it('rejects mistakes with a message saying what is wrong', () => {
    // Act and assess
    expect(() => parseIngestArgs([])).toThrow('Give at least one file or folder to ingest');
    expect(() => parseIngestArgs(['kb', '--force'])).toThrow("Unknown option '--force'");
    expect(() => parseIngestArgs(['kb', '--namespace'])).toThrow("Option '--namespace <value>' argument missing");
    expect(() => parseIngestArgs(['kb', '--namespace', '--prune'])).toThrow("Option '--namespace' argument is ambiguous");
    expect(() => parseIngestArgs(['kb', '--namespace='])).toThrow('--namespace needs a name');
  });
});
