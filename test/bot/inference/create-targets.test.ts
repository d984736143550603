import { BedrockTarget } from '../../../lambdas/bot/inference/bedrock-target';
import { createTargets, type TargetsConfig } from '../../../lambdas/bot/inference/create-targets';
import { LlamaTarget } from '../../../lambdas/bot/inference/llama-target';
import { OfflineTarget } from '../../../lambdas/bot/inference/offline-target';
import type { TargetName } from '../../../lambdas/bot/inference/types';
import { fakeBedrockClient } from './support/bedrock-client';

const LLAMA = { baseUrl: 'http://100.101.102.6:8080', model: 'llama3.2' };

describe('createTargets', () => {
  it('builds the targets in the order of the chain', () => {
    const targets = createTargets(
      { chain: ['llama', 'bedrock', 'offline'], bedrock: { modelId: 'eu.amazon.nova-lite-v1:0' }, llama: LLAMA, offline: { delayMs: 0 } },
      { bedrock: fakeBedrockClient('http://127.0.0.1:1') },
    );

    expect(targets.map((target) => [target.constructor, target.name, target.model])).toStrictEqual([
      [LlamaTarget, 'llama', 'llama3.2'],
      [BedrockTarget, 'bedrock', 'eu.amazon.nova-lite-v1:0'],
      [OfflineTarget, 'offline', 'offline-extractive'],
    ]);
  });

  it('uses the default Bedrock model and ignores an unused llama section', () => {
    const targets = createTargets({ chain: ['bedrock'], bedrock: { region: 'us-east-1' }, llama: { baseUrl: '', model: '' } });

    expect(targets.map((target) => [target.name, target.model])).toStrictEqual([['bedrock', 'us.amazon.nova-lite-v1:0']]);
  });

  const invalid: { case: string; config: TargetsConfig; message: string }[] = [
    { case: 'an empty chain', config: { chain: [] }, message: 'The inference chain is empty: name at least one of bedrock, llama, offline' },
    {
      case: 'an unknown name',
      config: { chain: ['bedrock', 'openai' as TargetName] },
      message: 'Unknown inference target "openai" in the chain: expected bedrock, llama or offline',
    },
    { case: 'a repeated name', config: { chain: ['offline', 'offline'] }, message: 'The inference chain names offline twice' },
    { case: 'llama without a base URL', config: { chain: ['llama'], llama: { baseUrl: '', model: 'm' } }, message: 'The chain names llama but llama.baseUrl is missing' },
    { case: 'llama without a section', config: { chain: ['offline', 'llama'] }, message: 'The chain names llama but llama.baseUrl is missing' },
    { case: 'llama without a model', config: { chain: ['llama'], llama: { baseUrl: LLAMA.baseUrl } }, message: 'The chain names llama but llama.model is missing' },
    {
      case: 'a llama base URL without a scheme',
      config: { chain: ['llama'], llama: { ...LLAMA, baseUrl: '100.101.102.6:8080' } },
      message: 'llama baseUrl must be an http(s) URL, got "100.101.102.6:8080"',
    },
    {
      case: 'a proxy URL that is not http(s)',
      config: { chain: ['llama'], llama: { ...LLAMA, proxyUrl: 'socks5://127.0.0.1:1055' } },
      message: 'llama proxyUrl must be an http(s) URL, got "socks5://127.0.0.1:1055"',
    },
    { case: 'an empty Bedrock model id', config: { chain: ['bedrock'], bedrock: { modelId: '' } }, message: 'The chain names bedrock but bedrock.modelId is empty' },
    { case: 'a negative offline delay', config: { chain: ['offline'], offline: { delayMs: -5 } }, message: 'offline delayMs must be a non-negative number, got -5' },
  ];

  it.each(invalid)('rejects $case with a TypeError naming the problem', ({ config, message }) => {
    expect(() => createTargets(config)).toThrow(new TypeError(message));
  });
});
