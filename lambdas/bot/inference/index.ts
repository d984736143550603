export { AllTargetsFailedError } from './all-targets-failed-error';
export { BedrockTarget, type BedrockTargetProps } from './bedrock-target';
export type { ChainEvent, FallbackOptions, TargetFailure } from './chain-types';
export { INFERENCE_DEFAULTS } from './constants';
export { createTargets, type TargetClients, type TargetsConfig } from './create-targets';
export { codeForStatus, INFERENCE_ERROR_CODES, InferenceError, type InferenceErrorCode } from './errors';
export { streamWithFallback } from './fallback-chain';
export { LlamaTarget, type LlamaTargetProps } from './llama-target';
export { OfflineTarget, type OfflineTargetProps } from './offline-target';
export {
  type ContextPassage,
  formatRetrievedContext,
  parseRetrievedContext,
  RETRIEVED_CONTEXT_END,
  RETRIEVED_CONTEXT_START,
} from './retrieved-context';
export { parseSse, type SseEvent } from './sse-parser';
export type { ChatTurn, InferenceRequest, InferenceTarget, StreamPart, TargetName, Usage } from './types';
