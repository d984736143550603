import { OfflineTarget } from '../../../lambdas/bot/inference/offline-target';
import { formatRetrievedContext } from '../../../lambdas/bot/inference/retrieved-context';
import type { StreamPart } from '../../../lambdas/bot/inference/types';
import { collect } from './support/collect';
import { inferenceRequest } from './support/request';

const PASSAGES = [
  {
    n: 1,
    title: 'Fanout',
    source: 'docs/architecture.md',
    text:
      'Every message goes through one Kinesis stream. The stream has two shards in production. ' +
      'Fanout reads it with enhanced fan-out, about 70 ms after the write.',
  },
  {
    n: 2,
    title: 'Deploying',
    source: 'docs/deploy.md',
    text: 'Run npm run cdk deploy. Shards can be added later by changing the stream settings and deploying again.',
  },
];

const SYSTEM = `You are the assistant of a chat room.\n\n${formatRetrievedContext(PASSAGES)}`;

function text(parts: StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

describe('OfflineTarget', () => {
  const target = new OfflineTarget({ delayMs: 0 });

  it('quotes the passage sentences that share words with the question, citing each [n]', async () => {
    // Prepare
    const request = inferenceRequest({
      system: SYSTEM,
      messages: [
        { role: 'user', content: 'Ada: hello' },
        { role: 'assistant', content: 'Hi Ada.' },
        { role: 'user', content: 'Ada: How many shards does the stream have?' },
      ],
    });

    // Act
    const { items, error } = await collect(target.stream(request));

    // Assess
    expect(error).toBeUndefined();
    expect(text(items)).toBe(
      [
'**Offline mode**: I am not connected to a language model right now, so I cannot write an answer of my own. ' +
          'Here is what my stored notes say about "How many shards does the stream have?":',
        '> Every message goes through one Kinesis stream. [1]',
        '> The stream has two shards in production. [1]',
        '> Shards can be added later by changing the stream settings and deploying again. [2]',
      ].join('\n\n'),
    );
  });

  it('quotes a fenced code block whole, as code, and list items as sentences, never a heading', async () => {
    const system = `S\n\n${formatRetrievedContext([
      {
        n: 1,
        title: 'Deploy',
        source: 'knowledge/deploy.md',
        text: '## Deploy\n\n```sh\nnpx cdk bootstrap\nnpx cdk deploy\n```\n\n- Deploy once per account.\n- Unrelated item.',
      },
    ])}`;
    const request = inferenceRequest({ system, messages: [{ role: 'user', content: 'Ada: how do I deploy?' }] });

    const { items } = await collect(target.stream(request));

    expect(text(items)).toBe(
      [
'**Offline mode**: I am not connected to a language model right now, so I cannot write an answer of my own. ' +
          'Here is what my stored notes say about "how do I deploy?":',
        '```sh\nnpx cdk bootstrap\nnpx cdk deploy\n```\n[1]',
        '> Deploy once per account. [1]',
      ].join('\n\n'),
    );
  });

  it('streams word-sized deltas that concatenate to the answer, then a finish with estimated usage', async () => {
    const request = inferenceRequest({ system: SYSTEM, messages: [{ role: 'user', content: 'Ada: how do I deploy?' }] });

    const { items } = await collect(target.stream(request));

    const deltas = items.filter((part) => part.type === 'text-delta');
    const answer = text(items);
    expect(deltas.length).toBeGreaterThan(20);
    for (const delta of deltas) expect(delta.text).toMatch(/^\S+\s*$/);
    expect(answer).toContain('> Run npm run cdk deploy. [2]');
    const prompt = [request.system, 'Ada: how do I deploy?'].join('\n');
    expect(items.at(-1)).toStrictEqual({
      type: 'finish',
      stopReason: 'end_turn',
      usage: { inputTokens: Math.ceil(prompt.length / 4), outputTokens: Math.ceil(answer.length / 4) },
    });
    expect(items.slice(0, -1).every((part) => part.type === 'text-delta')).toBe(true);
  });

  it('shows how the passages begin when none shares a word with the question', async () => {
    const request = inferenceRequest({ system: SYSTEM, messages: [{ role: 'user', content: 'Linus: any jokes?' }] });

    const { items } = await collect(target.stream(request));

    expect(text(items)).toBe(
      [
'**Offline mode**: I am not connected to a language model right now, so I cannot write an answer of my own. ' +
          'None of my stored notes uses the words of your question about "any jokes?"; here is how the nearest ones begin:',
        '> Every message goes through one Kinesis stream. [1]',
        '> Run npm run cdk deploy. [2]',
      ].join('\n\n'),
    );
  });

  it('without passages, says it is offline and what it understood, never how to configure it (that is for operators)', async () => {
    const request = inferenceRequest({
      system: 'You are the assistant of a chat room.',
      messages: [{ role: 'user', content: 'Grace: Which region should I deploy the stack to?' }],
    });

    const { items } = await collect(target.stream(request));

    expect(text(items)).toBe(
      [
'**Offline mode**: I am not connected to a language model right now, so I cannot write an answer of my own. I understood your ' +
          'message as "Which region should I deploy the stack to?" (about: region, deploy, stack), but none of my ' +
          'stored notes matches it, so I have nothing to quote.',
        'Try other words, or ask again later.',
      ].join('\n\n'),
    );
  });

  it('stops at maxOutputTokens (estimated) with stop reason max_tokens', async () => {
    const request = inferenceRequest({ system: SYSTEM, maxOutputTokens: 10, messages: [{ role: 'user', content: 'Ada: shards?' }] });

    const { items } = await collect(target.stream(request));

    expect(text(items)).toBe('**Offline mode**: I am not connected to ');
    expect(items.at(-1)).toMatchObject({ type: 'finish', stopReason: 'max_tokens', usage: { outputTokens: 10 } });
  });

  it('paces the deltas by delayMs and stops with the abort reason when aborted', async () => {
    // Prepare: a fake clock, so the pacing is read exactly instead of timed.
    jest.useFakeTimers();
    const slow = new OfflineTarget({ delayMs: 10 });
    const controller = new AbortController();
    const reason = new Error('The answer was cancelled');
    const arrivals: number[] = [];

    // Act
    const collecting = collect(
      (async function* () {
        for await (const part of slow.stream(inferenceRequest({ signal: controller.signal }))) {
          arrivals.push(Date.now());
          yield part;
          if (arrivals.length === 3) controller.abort(reason);
        }
      })(),
    );
    await jest.runAllTimersAsync();
    const { items, error } = await collecting;
    jest.useRealTimers();

    // Assess
    expect(error).toBe(reason);
    expect(text(items)).toBe('**Offline mode**: I ');
    expect(arrivals.map((at) => at - (arrivals[0] as number))).toStrictEqual([0, 10, 20]);
  });

  it('rejects a negative delay', () => {
    expect(() => new OfflineTarget({ delayMs: -1 })).toThrow(new TypeError('offline delayMs must be a non-negative number, got -1'));
  });
});
