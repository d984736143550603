/**
 * Small, dependency-free validators for setting values. Each one parses the text of a value (an environment variable
 * or a CDK context value) into its typed form, or returns undefined when the text is not acceptable; `expected`
 * completes the sentence "expected ...", shown when a value is rejected.
 */
export interface Validator<T> {
  readonly expected: string;
  readonly parse: (text: string) => T | undefined;
}

const WHOLE_NUMBER = /^(0|[1-9][0-9]*)$/;

/** A whole number within [min, max], written plainly (no sign, exponent or leading zero). */
export function wholeNumber(min: number, max: number, expected = `a whole number from ${min} to ${max}`): Validator<number> {
  return {
    expected,
    parse: (text) => (WHOLE_NUMBER.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined),
  };
}

/** A decimal number within [min, max] (`0.15`, `-1`). */
export function decimal(min: number, max: number, example: string): Validator<number> {
  return {
    expected: `a number from ${min} to ${max}, e.g. ${example}`,
    parse: (text) => (/^-?\d+(\.\d+)?$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined),
  };
}

/** `true` or `false`. */
export const boolean: Validator<boolean> = {
  expected: 'true or false',
  parse: (text) => (text === 'true' ? true : text === 'false' ? false : undefined),
};

/** One of a fixed list of words. */
export function oneOf<const V extends string>(values: readonly V[], expected = `one of ${values.join(', ')}`): Validator<V> {
  return { expected, parse: (text) => (values as readonly string[]).includes(text) ? (text as V) : undefined };
}

/** A comma-separated list of distinct words from `values` (items trimmed), at least one. */
export function distinctListOf<const V extends string>(values: readonly V[], example: string): Validator<V[]> {
  return {
    expected: `a comma-separated list of distinct targets from ${values.join(', ')}, e.g. ${example}`,
    parse: (text) => {
      const items = text.split(',').map((item) => item.trim());
      const known = items.every((item) => (values as readonly string[]).includes(item));
      return known && new Set(items).size === items.length ? (items as V[]) : undefined;
    },
  };
}

/** Text matching a pattern, taken as it is. */
export function matching(pattern: RegExp, expected: string): Validator<string> {
  return { expected, parse: (text) => (pattern.test(text) ? text : undefined) };
}

/** Non-blank text of at most `maxChars` characters. */
export function text(maxChars: number, expected: string): Validator<string> {
  return { expected, parse: (value) => (value.trim().length > 0 && value.length <= maxChars ? value : undefined) };
}

/** Empty, or an http(s) URL. */
export function optionalUrl(example: string): Validator<string> {
  return {
    expected: `empty, or an http(s) URL such as ${example}`,
    parse: (value) => (value === '' || isHttpUrl(value) ? value : undefined),
  };
}

/** Empty (none), or the name or ARN of a Secrets Manager secret. */
export function optionalSecretName(expected = 'empty, or a Secrets Manager secret name or ARN'): Validator<string> {
  return matching(/^$|^(arn:aws[a-z-]*:secretsmanager:[^\s]+|[A-Za-z0-9/_+=.@-]{1,512})$/, expected);
}

/**
 * A comma-separated list of browser origins (`scheme://host[:port]`, exactly as the Origin header carries them: no
 * path, no trailing slash); items are trimmed and empty items ignored, so an empty text is an empty list.
 */
export function originList(expected: string): Validator<string[]> {
  return {
    expected,
    parse: (value) => {
      const origins = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return origins.every(isOrigin) ? origins : undefined;
    },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isOrigin(entry: string): boolean {
  return isHttpUrl(entry) && new URL(entry).origin === entry;
}
