// The settings and outputs tables of README.md and docs/deploy.md are generated (npm run docs): from the contract's
// settings and from the stack's outputs. This fails when a file and what the contract says have drifted apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, STACK_SETTINGS } from '../../contract';
import { generate, GENERATED_FILES } from '../../scripts/docs-tables';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe.each(GENERATED_FILES)('%s', (file) => {
  test('its generated tables are up to date (else: npm run docs)', () => {
    expect(generate(file)).toBe(read(file));
  });

  test('names every setting, every context key and every stack output', () => {
    const text = read(file);
    const keys = [...Object.values(SETTINGS), ...Object.values(STACK_SETTINGS)].map((spec) => spec.contextKey);
    const outputs = ['PageUrl', 'WebSocketUrl', 'ManagementApiUrl', 'EventsStreamName', 'ConnectionsTableName', 'MessagesTableName', 'BotBudgetTableName', 'FailedEventsQueueUrl'];
    expect([...keys, ...outputs].filter((name) => !text.includes(`\`${name}\``))).toStrictEqual([]);
  });

  test('a hand edit inside a generated block is written back from the contract', () => {
    const text = read(file);
    const edited = text.replace('| `historyTtlDays` | `HISTORY_TTL_DAYS` | `30` |', '| `historyTtlDays` | `HISTORY_TTL_DAYS` | `0` |');
    expect(edited).not.toBe(text);
    expect(generate(file, edited)).toBe(text);
  });
});
