import type { SettingName } from './topology';

/** One context value's validation, as data: what is accepted and how to say so. */
export interface ValueRule {
  /** Completes the sentence "expected ...", shown when the value is rejected. */
  readonly expected: string;
  readonly isValid: (value: string) => boolean;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
const TARGETS = ['bedrock', 'llama', 'offline'] as const;

/** A whole number within [min, max], written plainly (no sign, exponent or leading zero). */
function integerRule(min: number, max: number, unit = ''): ValueRule {
  return {
    expected: `a whole number from ${min} to ${max}${unit}`,
    isValid: (value) => /^(0|[1-9][0-9]*)$/.test(value) && Number(value) >= min && Number(value) <= max,
  };
}

/** Empty, or an http(s) URL. */
function optionalUrlRule(example: string): ValueRule {
  return {
    expected: `empty, or an http(s) URL such as ${example}`,
    isValid: (value) => {
      if (value === '') return true;
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
  };
}

/** `scheme://host[:port]` exactly as a browser sends it in the Origin header: no path, no trailing slash. */
function isOrigin(entry: string): boolean {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry;
}

/**
 * One rule per topology setting. Typed by `SettingName`, so a setting added to topology.ts does not compile until it
 * has a rule here.
 */
export const SETTING_RULES: { readonly [K in SettingName]: ValueRule } = {
  allowedOrigins: {
    expected:
      'a comma-separated list of origins like https://chat.example.com,http://localhost:5173 (scheme://host[:port], no path, no trailing slash), or an empty string to allow any',
    // Parsed like the Lambda's listEnv: items trimmed, empty items ignored.
    isValid: (value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .every(isOrigin),
  },
  historyTtlDays: {
    expected: 'a whole number of days from 0 to 36500 (0 keeps history forever)',
    isValid: (value) => /^(0|[1-9][0-9]*)$/.test(value) && Number(value) <= 36500,
  },
  fanoutConcurrency: integerRule(1, 256),
  botTargets: {
    expected: `a comma-separated list of distinct targets from ${TARGETS.join(', ')}, e.g. llama,bedrock`,
    isValid: (value) => {
      const names = value.split(',').map((name) => name.trim());
      return names.every((name) => (TARGETS as readonly string[]).includes(name)) && new Set(names).size === names.length;
    },
  },
  bedrockModelId: {
    expected: 'a Bedrock model id or inference profile id, e.g. us.amazon.nova-lite-v1:0',
    isValid: (value) => /^[a-z0-9][a-z0-9.:-]{2,127}$/.test(value),
  },
  llamaUrl: optionalUrlRule('http://100.101.102.6:8080'),
  llamaModel: { expected: 'a model name of 1-128 characters', isValid: (value) => /^\S{1,128}$/.test(value) },
  llamaApiKeySecret: {
    expected: 'empty, or a Secrets Manager secret name or ARN',
    isValid: (value) => value === '' || /^(arn:aws[a-z-]*:secretsmanager:[^\s]+|[A-Za-z0-9/_+=.@-]{1,512})$/.test(value),
  },
  llamaProxyUrl: optionalUrlRule('http://127.0.0.1:1055'),
  botSystemPrompt: { expected: 'a prompt of 1-4000 characters', isValid: (value) => value.trim().length > 0 && value.length <= 4000 },
  botMaxOutputTokens: integerRule(16, 4096),
  botDeltaWindowMs: integerRule(10, 2000, ' (milliseconds)'),
  botDeltaMaxChars: integerRule(1, 4000),
  botFirstTokenTimeoutMs: integerRule(100, 60000, ' (milliseconds)'),
  botAnswersPerRoomPerMinute: integerRule(0, 1000),
  botAnswersPerMinute: integerRule(0, 100000),
  pineconeIndexHost: {
    expected: 'empty, or a Pinecone index host such as chat-abc123.svc.aped-4627-b74a.pinecone.io (an https:// URL is accepted too)',
    isValid: (value) => value === '' || /^(https:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/.test(value),
  },
  pineconeNamespace: { expected: '1-64 letters, digits, - or _', isValid: (value) => /^[A-Za-z0-9_-]{1,64}$/.test(value) },
  pineconeApiKeySecret: {
    expected: 'empty, or a Secrets Manager secret name or ARN',
    isValid: (value) => value === '' || /^(arn:aws[a-z-]*:secretsmanager:[^\s]+|[A-Za-z0-9/_+=.@-]{1,512})$/.test(value),
  },
  embedder: { expected: 'titan or offline', isValid: (value) => value === 'titan' || value === 'offline' },
  embeddingModelId: {
    expected: 'a Bedrock embedding model id, e.g. amazon.titan-embed-text-v2:0',
    isValid: (value) => /^[a-z0-9][a-z0-9.:-]{2,127}$/.test(value),
  },
  retrievalTopK: integerRule(1, 20),
  retrievalMinScore: {
    expected: 'a number from -1 to 1, e.g. 0.15',
    isValid: (value) => /^-?\d+(\.\d+)?$/.test(value) && Number(value) >= -1 && Number(value) <= 1,
  },
  logLevel: {
    expected: `one of ${LOG_LEVELS.join(', ')}`,
    isValid: (value) => (LOG_LEVELS as readonly string[]).includes(value),
  },
  // Admission control (issue 8)
  messageRatePerSecond: integerRule(1, 1000, ' (per second)'),
  messageBurst: integerRule(1, 10000),
  draftRatePerSecond: integerRule(1, 1000, ' (per second)'),
  draftBurst: integerRule(1, 10000),
};

/** Rules for the context values that shape the stack itself rather than a function's environment. */
export const STACK_RULES = {
  stackName: {
    expected: 'a CloudFormation stack name: a letter, then letters, digits or hyphens, at most 128 characters',
    isValid: (value: string) => /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value),
  },
  stageName: {
    expected: 'an API Gateway stage name: letters, digits or underscores ([A-Za-z0-9_]+), at most 128 characters',
    isValid: (value: string) => /^[A-Za-z0-9_]{1,128}$/.test(value),
  },
  configureApiGatewayAccount: {
    expected: 'true or false',
    isValid: (value: string) => value === 'true' || value === 'false',
  },
  // Tailscale for the bot's llama traffic (docs/tailscale.md); what tailscale=true requires is in tailscale-config.ts.
  tailscale: {
    expected: 'true or false',
    isValid: (value: string) => value === 'true' || value === 'false',
  },
  tailscaleAuthKeySecret: {
    expected: 'empty, or the name or ARN of a Secrets Manager secret holding a Tailscale auth key, e.g. chat/tailscale',
    isValid: (value: string) => SETTING_RULES.llamaApiKeySecret.isValid(value),
  },
  tailscaleHostname: {
    expected: 'a Tailscale machine name: 1-63 letters, digits or hyphens, not starting or ending with a hyphen',
    isValid: (value: string) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(value),
  },
  tailscaleProxyPort: integerRule(1024, 65535, ' (a port on 127.0.0.1)'),
} as const satisfies Record<string, ValueRule>;
