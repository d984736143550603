import type { SettingName } from './topology';

/** One context value's validation, as data: what is accepted and how to say so. */
export interface ValueRule {
  /** Completes the sentence "expected ...", shown when the value is rejected. */
  readonly expected: string;
  readonly isValid: (value: string) => boolean;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

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
  fanoutConcurrency: {
    expected: 'a whole number from 1 to 256',
    isValid: (value) => /^[1-9][0-9]*$/.test(value) && Number(value) <= 256,
  },
  logLevel: {
    expected: `one of ${LOG_LEVELS.join(', ')}`,
    isValid: (value) => (LOG_LEVELS as readonly string[]).includes(value),
  },
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
} as const satisfies Record<string, ValueRule>;
