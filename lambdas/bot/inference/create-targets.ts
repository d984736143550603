import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BOT_TARGET_NAMES } from '../../../contract/settings';
import { BedrockTarget } from './bedrock-target';
import { LlamaTarget } from './llama-target';
import { OfflineTarget } from './offline-target';
import type { InferenceTarget, TargetName } from './types';

export interface TargetsConfig {
  /** The targets to try, in order; each name at most once. */
  chain: readonly TargetName[];
  /** @default - the default model (INFERENCE_DEFAULTS.bedrockModelId) in AWS_REGION */
  bedrock?: { modelId?: string; region?: string };
  /** Required (baseUrl and model) when the chain names llama; ignored otherwise. */
  llama?: { baseUrl?: string; model?: string; apiKey?: string; proxyUrl?: string };
  /** @default - word deltas every INFERENCE_DEFAULTS.offlineDelayMs */
  offline?: { delayMs?: number };
}

/** SDK clients to use instead of the shared ones (a local endpoint, a test). */
export interface TargetClients {
  bedrock?: BedrockRuntimeClient;
}

const TARGET_NAMES: readonly string[] = BOT_TARGET_NAMES;

function validateChain(chain: readonly string[]): void {
  if (chain.length === 0) throw new TypeError('The inference chain is empty: name at least one of bedrock, llama, offline');
  const seen = new Set<string>();
  for (const name of chain) {
    if (!TARGET_NAMES.includes(name)) {
      throw new TypeError(`Unknown inference target "${name}" in the chain: expected bedrock, llama or offline`);
    }
    if (seen.has(name)) throw new TypeError(`The inference chain names ${name} twice`);
    seen.add(name);
  }
}

function createTarget(name: TargetName, config: TargetsConfig, clients: TargetClients): InferenceTarget {
  switch (name) {
    case 'bedrock': {
      const { modelId, region } = config.bedrock ?? {};
      if (modelId === '') throw new TypeError('The chain names bedrock but bedrock.modelId is empty');
      return new BedrockTarget({ modelId, region, client: clients.bedrock });
    }
    case 'llama': {
      const { baseUrl, model, apiKey, proxyUrl } = config.llama ?? {};
      if (!baseUrl) throw new TypeError('The chain names llama but llama.baseUrl is missing');
      if (!model) throw new TypeError('The chain names llama but llama.model is missing');
      return new LlamaTarget({ baseUrl, model, apiKey, proxyUrl });
    }
    case 'offline':
      return new OfflineTarget({ delayMs: config.offline?.delayMs });
  }
}

/**
 * The ordered targets of the chain `config.chain` names, each built from its section of `config`. Invalid config
 * fails here, at cold start, with a TypeError naming the problem (an unknown or repeated name, llama without a base
 * URL or model, a base URL or proxy URL that is not http(s)).
 */
export function createTargets(config: TargetsConfig, clients: TargetClients = {}): InferenceTarget[] {
  validateChain(config.chain);
  return config.chain.map((name) => createTarget(name, config, clients));
}
