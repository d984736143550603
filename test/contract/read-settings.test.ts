// The one settings reader: typed values, defaults (deployed and npm start's), secrets given directly, and one error
// listing every problem. The stack's use of it is in test/cdk/config.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FUNCTIONS, readSettings, SETTINGS, SettingsError, STACK_SETTINGS } from '../../contract';
import { resolveOptions } from '../../local/runtime-options';

const ROOT = join(__dirname, '..', '..');

describe('readSettings', () => {
  test('applies the deployed defaults, typed', () => {
    expect(readSettings({}, ['historyTtlDays', 'allowedOrigins', 'botTargets', 'embedder', 'retrievalMinScore', 'llamaApiKeySecret'])).toStrictEqual({
      historyTtlDays: 30,
      allowedOrigins: [],
      botTargets: ['bedrock'],
      embedder: 'titan',
      retrievalMinScore: 0.15,
      llamaApiKeySecret: { name: '' },
    });
  });

  test("applies npm start's defaults where they differ, and only there", () => {
    const local = readSettings({}, undefined, { local: true });
    const deployed = readSettings({});
    const differing = Object.keys(SETTINGS).filter(
      (name) => JSON.stringify(local[name as keyof typeof local]) !== JSON.stringify(deployed[name as keyof typeof deployed]),
    );
    expect(differing).toStrictEqual(['botTargets', 'botAnswersPerSourceIpPerMinute', 'embedder', 'metricsDisabled']);
    // Locally every client comes from one loopback address.
    expect([local.botTargets, local.botAnswersPerSourceIpPerMinute, local.embedder, local.metricsDisabled]).toStrictEqual([
      ['offline'],
      60,
      'offline',
      true,
    ]);
  });

  test('parses given values by their environment variable', () => {
    expect(
      readSettings(
        { ALLOWED_ORIGINS: ' https://a.example, http://localhost:5173 ,', BOT_TARGETS: 'llama, offline', HISTORY_TTL_DAYS: '0', RETRIEVAL_MIN_SCORE: '-0.5' },
        ['allowedOrigins', 'botTargets', 'historyTtlDays', 'retrievalMinScore'],
      ),
    ).toStrictEqual({
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
      botTargets: ['llama', 'offline'],
      historyTtlDays: 0,
      retrievalMinScore: -0.5,
    });
  });

  test('a secret setting carries its value when the variable it declares gives it', () => {
    expect(readSettings({ LLAMA_API_KEY_SECRET: 'chat/llama', LLAMA_API_KEY: 'sk-1', PINECONE_API_KEY: 'pk-1' }, ['llamaApiKeySecret', 'pineconeApiKeySecret'])).toStrictEqual({
      llamaApiKeySecret: { name: 'chat/llama', value: 'sk-1' },
      pineconeApiKeySecret: { name: '', value: 'pk-1' },
    });
    expect(SETTINGS.llamaApiKeySecret.secret.valueEnvVar).toBe('LLAMA_API_KEY');
  });

  test('fails once, listing every problem by variable with what it expects', () => {
    expect(() => readSettings({ FANOUT_CONCURRENCY: '0', BOT_TARGETS: 'bedrock,bedrock', LOG_LEVEL: 'debug', RETRIEVAL_TOP_K: '21' })).toThrow(
      new SettingsError([
        'FANOUT_CONCURRENCY: got "0", expected a whole number from 1 to 256',
        'BOT_TARGETS: got "bedrock,bedrock", expected a comma-separated list of distinct targets from bedrock, llama, offline, e.g. llama,bedrock',
        'RETRIEVAL_TOP_K: got "21", expected a whole number from 1 to 20',
        'LOG_LEVEL: got "debug", expected one of DEBUG, INFO, WARN, ERROR',
      ]),
    );
  });

  test('reads only the settings asked for: a function is not stopped by another one\'s', () => {
    expect(readSettings({ LOG_LEVEL: 'INFO', BOT_MAX_OUTPUT_TOKENS: 'lots' }, FUNCTIONS.connect.settings)).toStrictEqual({
      allowedOrigins: [],
      botName: 'bot',
      logLevel: 'INFO',
    });
  });

  test.each([...Object.entries(SETTINGS), ...Object.entries(STACK_SETTINGS)])('the defaults of %s pass its validator', (_, spec) => {
    const local = 'localDefault' in spec ? spec.localDefault : spec.defaultValue;
    expect([spec.validator.parse(spec.defaultValue), spec.validator.parse(local)]).not.toContain(undefined);
  });
});

describe('the local runtime', () => {
  test('validates its settings like synth, listing every problem', () => {
    expect(() => resolveOptions({ settings: { historyTtlDays: 'forever', embedder: 'word2vec' } })).toThrow(
      new SettingsError(
        [
          'HISTORY_TTL_DAYS: got "forever", expected a whole number of days from 0 to 36500 (0 keeps history forever)',
          'EMBEDDER: got "word2vec", expected titan or offline',
        ],
        'Invalid settings for the local runtime:',
      ),
    );
  });

  test("uses npm start's defaults, and puts llama and bedrock before offline when configured", () => {
    const plain = resolveOptions({ settings: {}, useBedrock: false });
    const configured = resolveOptions({ settings: { llamaUrl: 'http://127.0.0.1:11434' }, useBedrock: true });
    const given = resolveOptions({ settings: { llamaUrl: 'http://127.0.0.1:11434', botTargets: 'offline' }, useBedrock: true });
    expect([plain.settings.embedder, plain.settings.botTargets]).toStrictEqual(['offline', 'offline']);
    expect(configured.settings.botTargets).toBe('llama,bedrock,offline');
    expect(given.settings.botTargets).toBe('offline');
  });
});

describe('dependencies', () => {
  const sources = (folder: string): string[] =>
    readdirSync(join(ROOT, folder)).flatMap((entry) => {
      const path = join(ROOT, folder, entry);
      if (statSync(path).isDirectory()) return sources(relative(ROOT, path));
      return path.endsWith('.ts') ? [relative(ROOT, path)] : [];
    });
  const importsOf = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]);

  test('lambdas/ imports nothing from lib/', () => {
    expect(sources('lambdas').filter((file) => importsOf(file).some((path) => /(^|\/)lib\//.test(path)))).toStrictEqual([]);
  });

  test('contract/ imports nothing outside itself', () => {
    expect(sources('contract').flatMap((file) => importsOf(file).filter((path) => !path.startsWith('./')))).toStrictEqual([]);
  });
});
