import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { abortReason } from './abort-reason';
import { bedrockRuntime } from '../../shared/aws/bedrock-runtime-client';
import { INFERENCE_DEFAULTS } from './constants';
import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { fromBedrockError } from './from-bedrock-error';
import { readConverseStream } from './read-converse-stream';
import { toConverseStreamInput } from './to-converse-stream-input';
import type { InferenceRequest, InferenceTarget, StreamPart } from './types';

export interface BedrockTargetProps {
  /** Bedrock model id or cross-region inference profile id. @default INFERENCE_DEFAULTS.bedrockModelId */
  readonly modelId?: string;
  /** @default - the shared client of `region` (see bedrockRuntime in shared/aws/bedrock-runtime-client: keep-alive, no SDK retries) */
  readonly client?: BedrockRuntimeClient;
  /** Used only when no client is given. @default - AWS_REGION */
  readonly region?: string;
}

/** Streams answers from Amazon Bedrock through ConverseStream. */
export class BedrockTarget implements InferenceTarget {
  public readonly name = 'bedrock' as const;
  public readonly model: string;
  private readonly client: BedrockRuntimeClient;

  public constructor(props: BedrockTargetProps = {}) {
    this.model = props.modelId ?? INFERENCE_DEFAULTS.bedrockModelId;
    this.client = props.client ?? bedrockRuntime(props.region);
  }

  public async *stream(request: InferenceRequest): AsyncGenerator<StreamPart> {
    const command = new ConverseStreamCommand(toConverseStreamInput(request, this.model));
    let output: ConverseStreamCommandOutput;
    try {
      output = await this.client.send(command, { abortSignal: request.signal });
    } catch (error) {
      throw request.signal.aborted ? abortReason(request.signal) : fromBedrockError(error, 'request');
    }
    if (!output.stream) {
      throw new InferenceError(INFERENCE_ERROR_CODES.modelError, 'Bedrock answered without an event stream');
    }
    yield* readConverseStream(output.stream, request.signal);
  }
}
