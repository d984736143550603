import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnOutput } from 'aws-cdk-lib';
import {
  FUNCTIONS,
  SETTING_DESCRIPTIONS,
  SETTINGS,
  STACK_SETTINGS,
  type ContextSettingSpec,
  type FunctionName,
  type StackSettingSpec,
  type SettingName,
  type SettingSpec,
} from '../contract';
import { ChatStack } from '../lib/chat-stack';
import { PROJECT_ROOT } from '../lib/project-root';

/**
 * The generated parts of the docs: tables written from the contract (settings) and from the stack (outputs), placed
 * between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers. `npm run docs` rewrites them;
 * test/docs/generated-docs.test.ts fails when a file differs from what this produces.
 */

/** Defaults longer than this are not printed in a table cell. */
const LONGEST_DEFAULT_SHOWN = 60;

export const GENERATED_FILES = ['README.md', 'docs/deploy.md'] as const;
export type GeneratedFile = (typeof GENERATED_FILES)[number];

/** Each file's generated blocks, by marker name. */
const BLOCKS: Record<GeneratedFile, Record<string, () => string>> = {
  'README.md': {
    settings: () => settingsTable({ withAccepts: false }),
    'stack-settings': () => stackSettingsTable({ withAccepts: false }),
    outputs: () => outputNames(),
  },
  'docs/deploy.md': {
    settings: () => settingsTable({ withAccepts: true }),
    'stack-settings': () => stackSettingsTable({ withAccepts: true }),
    outputs: () => outputsTable(),
  },
};

/** The file's text with every generated block rewritten. */
export function generate(file: GeneratedFile, text = readFileSync(join(PROJECT_ROOT, file), 'utf8')): string {
  let result = text;
  for (const [name, render] of Object.entries(BLOCKS[file])) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = result.indexOf(open);
    const end = result.indexOf(close);
    if (start < 0 || end < start) throw new Error(`${file} has no ${open} ... ${close} block`);
    result = `${result.slice(0, start + open.length)}\n${render()}\n${result.slice(end)}`;
  }
  return result;
}

function settingsTable({ withAccepts }: { withAccepts: boolean }): string {
  const header = withAccepts
    ? ['context key', 'env var', 'default', 'accepts', 'functions', 'meaning']
    : ['context key', 'env var', 'default', 'meaning'];
  const rows = (Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][]).map(([name, spec]) => {
    const meaning = spec.secret
      ? `${SETTING_DESCRIPTIONS[name]} Only its name reaches AWS; with \`npm start\` the value itself may be given as \`${spec.secret.valueEnvVar}\`.`
      : SETTING_DESCRIPTIONS[name];
    return withAccepts
      ? [code(spec.contextKey), code(spec.envVar), defaultCell(spec), spec.validator.expected, functionsReading(name), meaning]
      : [code(spec.contextKey), code(spec.envVar), defaultCell(spec), meaning];
  });
  return table(header, rows);
}

function stackSettingsTable({ withAccepts }: { withAccepts: boolean }): string {
  const header = withAccepts ? ['context key', 'default', 'accepts', 'meaning'] : ['context key', 'default', 'meaning'];
  const rows = Object.values(STACK_SETTINGS).map((spec: StackSettingSpec<unknown>) =>
    withAccepts
      ? [code(spec.contextKey), defaultCell(spec), spec.validator.expected, spec.description]
      : [code(spec.contextKey), defaultCell(spec), spec.description],
  );
  return table(header, rows);
}

function defaultCell(spec: ContextSettingSpec<unknown> & { localDefault?: string }): string {
  const shown = (value: string) =>
    value === '' ? 'empty' : value.length > LONGEST_DEFAULT_SHOWN ? 'see `contract/settings.ts`' : code(value);
  return spec.localDefault === undefined
    ? shown(spec.defaultValue)
    : `${shown(spec.defaultValue)} (\`npm start\`: ${shown(spec.localDefault)})`;
}

function functionsReading(setting: SettingName): string {
  const names = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) =>
    (FUNCTIONS[name].settings as readonly SettingName[]).includes(setting),
  );
  return names.length === Object.keys(FUNCTIONS).length ? 'all' : names.join(', ');
}

/** The stack's outputs, by id and description, as the stack declares them (built, not synthesized: no bundling). */
function stackOutputs(): { id: string; description: string }[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ChatStack(app, 'Docs');
  return stack.node.children
    .filter((child): child is CfnOutput => child instanceof CfnOutput)
    .map((output) => ({ id: output.node.id, description: output.description ?? '' }));
}

function outputsTable(): string {
  return table(['output', 'what it is for'], stackOutputs().map(({ id, description }) => [code(id), description]));
}

function outputNames(): string {
  return `Stack outputs: ${stackOutputs().map(({ id }) => code(id)).join(', ')}.`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function code(value: string): string {
  return `\`${value}\``;
}
