import {
  SETTINGS,
  type ContextSettingSpec,
  type SettingName,
  type Settings,
  type SettingSpec,
} from './settings';

/** Where values are read from: an environment (`process.env`) or CDK context values by key. */
export type SettingsSource = Readonly<Record<string, unknown>>;

export interface ReadSettingsOptions {
  /**
   * What a value is looked up by, and named by in a problem: its environment variable (functions, the local runtime,
   * scripts) or its CDK context key (synth). @default 'envVar'
   */
  readonly keyBy?: 'envVar' | 'contextKey';
  /** Default as `npm start` does (`localDefault`) rather than as deployed. @default false */
  readonly local?: boolean;
}

/** What reading settings found: the typed values, their text (what a function's environment carries) and problems. */
export interface SettingsReading<N extends SettingName> {
  readonly settings: Pick<Settings, N>;
  readonly texts: Readonly<Record<N, string>>;
  readonly problems: readonly string[];
}

/** Settings that failed validation; the message lists every problem, one per line, each naming its key. */
export class SettingsError extends Error {
  public readonly problems: readonly string[];

  constructor(problems: readonly string[], heading = 'Invalid settings:') {
    super([heading, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

const ALL_SETTINGS = Object.keys(SETTINGS) as SettingName[];

/**
 * Reads settings `names` (every setting by default) from `source`: a value that is absent takes its default; every
 * value, given or default, is checked by its validator. Returns the typed settings, or throws one `SettingsError`
 * listing every problem. Functions call it once at start with their own settings (topology `FUNCTIONS[name].settings`).
 */
export function readSettings<N extends SettingName = SettingName>(
  source: SettingsSource,
  names: readonly N[] = ALL_SETTINGS as N[],
  options: ReadSettingsOptions = {},
): Pick<Settings, N> {
  const reading = collectSettings(source, names, options);
  if (reading.problems.length > 0) throw new SettingsError(reading.problems);
  return reading.settings;
}

/** `readSettings` without throwing, for callers that add problems of their own (synth) or need the values' text. */
export function collectSettings<N extends SettingName = SettingName>(
  source: SettingsSource,
  names: readonly N[] = ALL_SETTINGS as N[],
  options: ReadSettingsOptions = {},
): SettingsReading<N> {
  const keyBy = options.keyBy ?? 'envVar';
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  const texts = {} as Record<N, string>;
  for (const name of names) {
    const spec: SettingSpec<unknown> = SETTINGS[name];
    const defaultValue = (options.local ? spec.localDefault : undefined) ?? spec.defaultValue;
    const read = readValue(spec, spec[keyBy], source, defaultValue, problems);
    texts[name] = read.text;
    settings[name] = spec.secret ? secretReference(read.text, keyBy === 'envVar' ? source[spec.secret.valueEnvVar] : undefined) : read.value;
  }
  return { settings: settings as Pick<Settings, N>, texts, problems };
}

/** Reads one value from `source` by `key` (absent: `defaultValue`), adding a problem when it is not acceptable. */
export function readValue(
  spec: ContextSettingSpec<unknown>,
  key: string,
  source: SettingsSource,
  defaultValue: string,
  problems: string[],
): { text: string; value: unknown } {
  const raw = source[key];
  if (raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    problems.push(`${key}: got ${JSON.stringify(raw)}, expected ${spec.validator.expected}`);
    return { text: defaultValue, value: spec.validator.parse(defaultValue) };
  }
  const text = raw === undefined ? defaultValue : String(raw);
  const value = spec.validator.parse(text);
  if (value === undefined) problems.push(`${key}: got ${JSON.stringify(text)}, expected ${spec.validator.expected}`);
  return { text, value };
}

function secretReference(name: string, value: unknown): { name: string; value?: string } {
  return typeof value === 'string' && value !== '' ? { name, value } : { name };
}
